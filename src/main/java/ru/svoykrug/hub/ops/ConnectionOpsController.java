package ru.svoykrug.hub.ops;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.HttpStatus;
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
import ru.svoykrug.hub.monitoring.ConnectionStates;
import ru.svoykrug.hub.sync.ConnectionNotActiveException;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRuns;
import ru.svoykrug.hub.sync.SyncSchedules;

import java.util.List;
import java.util.Map;

/**
 * What ops people watch: the connections, their runs, and buttons to sync one now, pause and resume it. Role {@code OPS}
 * ({@code security}); ids and limits are checked before the database sees them.
 */
@RestController
@RequestMapping("/api/v1/ops")
class ConnectionOpsController {

    static final int MAX_LIMIT = 500;
    /** what a connection id may be; anything else is a 400 before the database sees it */
    static final String CONNECTION_ID = "[A-Za-z0-9][A-Za-z0-9_.-]{0,99}";

    private final ConnectionRepository connections;
    private final SyncRuns runs;
    private final SyncSchedules schedules;
    private final ConnectionStates states;

    ConnectionOpsController(ConnectionRepository connections, SyncRuns runs, SyncSchedules schedules, ConnectionStates states) {
        this.connections = connections;
        this.states = states;
        this.runs = runs;
        this.schedules = schedules;
    }

    /** Every connection: status, last run, time since the last good sync against its schedule, trouble in plain words. */
    @GetMapping("/connections")
    List<ConnectionStates.ConnectionState> connections() {
        return states.all();
    }

    @GetMapping("/connections/{id}")
    ConnectionStates.ConnectionState connection(@PathVariable @Pattern(regexp = CONNECTION_ID) String id) {
        return states.find(id).orElseThrow(() -> new UnknownConnectionException(id));
    }

    /** Stops the connection's scheduled and manual syncs until it is resumed (a run in progress ends as it would). */
    @PostMapping("/connections/{id}/pause")
    ConnectionStates.ConnectionState pause(@PathVariable @Pattern(regexp = CONNECTION_ID) String id) {
        PartnerConnection c = connections.find(id).orElseThrow(() -> new UnknownConnectionException(id));
        if (c.status() == ConnectionStatus.CREDENTIALS_REJECTED) {
            throw new ConnectionNotActiveException(c);
        }
        connections.updateStatus(id, ConnectionStatus.PAUSED, "Paused by ops");
        return connection(id);
    }

    /** A paused connection syncs again on its schedule; one whose credentials were rejected needs new ones instead. */
    @PostMapping("/connections/{id}/resume")
    ConnectionStates.ConnectionState resume(@PathVariable @Pattern(regexp = CONNECTION_ID) String id) {
        PartnerConnection c = connections.find(id).orElseThrow(() -> new UnknownConnectionException(id));
        if (c.status() == ConnectionStatus.CREDENTIALS_REJECTED) {
            throw new ConnectionNotActiveException(c);
        }
        connections.updateStatus(id, ConnectionStatus.ACTIVE, null);
        return connection(id);
    }

    @GetMapping("/sync-runs")
    List<SyncRun> syncRuns(@RequestParam(required = false) @Pattern(regexp = CONNECTION_ID) String connectionId,
                           @RequestParam(defaultValue = "50") @Min(1) @Max(MAX_LIMIT) int limit) {
        if (connectionId != null && connections.find(connectionId).isEmpty()) {
            throw new UnknownConnectionException(connectionId);
        }
        return runs.list(connectionId, limit);
    }

    @PostMapping("/connections/{id}/sync")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, String> sync(@PathVariable @Pattern(regexp = CONNECTION_ID) String id) {
        PartnerConnection c = connections.find(id).orElseThrow(() -> new UnknownConnectionException(id));
        if (c.status() != ConnectionStatus.ACTIVE) {
            throw new ConnectionNotActiveException(c);
        }
        schedules.triggerNow(id);
        return Map.of("connectionId", id, "status", "ACCEPTED",
                "runs", "/api/v1/ops/sync-runs?connectionId=" + id);
    }

}
