package ru.svoykrug.hub.ops;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.connections.UnknownConnectionException;
import ru.svoykrug.hub.staging.DeadLetters;
import ru.svoykrug.hub.sync.ConnectionNotActiveException;
import ru.svoykrug.hub.sync.SyncAlreadyRunningException;
import ru.svoykrug.hub.sync.SyncSchedules;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** A connection's dead letters: list, replay (re-read those records), discard. Role {@code OPS}. */
@RestController
@RequestMapping("/api/v1/ops/connections/{id}/dead-letters")
class DeadLetterController {

    private final ConnectionRepository connections;
    private final DeadLetterQueue deadLetters;
    private final DeadLetters letters;
    private final SyncSchedules schedules;

    DeadLetterController(ConnectionRepository connections, DeadLetterQueue deadLetters, DeadLetters letters,
                         SyncSchedules schedules) {
        this.letters = letters;
        this.connections = connections;
        this.deadLetters = deadLetters;
        this.schedules = schedules;
    }

    @GetMapping
    List<DeadLetters.Letter> list(@PathVariable @Pattern(regexp = ConnectionOpsController.CONNECTION_ID) String id,
                                          @RequestParam(defaultValue = "100") @Min(1) @Max(ConnectionOpsController.MAX_LIMIT) int limit) {
        known(id);
        return letters.list(id, limit);
    }

    /** Re-reads the streams that have dead letters from their start, in a sync started now. */
    @PostMapping("/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, Object> replay(@PathVariable @Pattern(regexp = ConnectionOpsController.CONNECTION_ID) String id) {
        PartnerConnection c = known(id);
        if (c.status() != ConnectionStatus.ACTIVE) {
            throw new ConnectionNotActiveException(c);
        }
        if (deadLetters.running(id)) {
            throw new SyncAlreadyRunningException(id);
        }
        List<String> streams = deadLetters.rewindStreamsWithDeadLetters(id);
        if (!streams.isEmpty()) {
            schedules.triggerNow(id);
        }
        return Map.of("connectionId", id, "streams", streams, "runs", "/api/v1/ops/sync-runs?connectionId=" + id);
    }

    @DeleteMapping("/{letterId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void discard(@PathVariable @Pattern(regexp = ConnectionOpsController.CONNECTION_ID) String id,
                 @PathVariable @Positive long letterId) {
        known(id);
        if (!deadLetters.discard(id, letterId)) {
            throw new NoSuchElementException("No dead letter " + letterId + " of connection " + id);
        }
    }

    @DeleteMapping
    Map<String, Object> discardAll(@PathVariable @Pattern(regexp = ConnectionOpsController.CONNECTION_ID) String id) {
        known(id);
        return Map.of("connectionId", id, "discarded", deadLetters.discardAll(id));
    }

    private PartnerConnection known(String id) {
        return connections.find(id).orElseThrow(() -> new UnknownConnectionException(id));
    }
}
