package ru.svoykrug.hub.ops;

import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
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
import ru.svoykrug.hub.sync.ConnectionNotActiveException;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;
import ru.svoykrug.hub.sync.SyncRuns;
import ru.svoykrug.hub.sync.SyncSchedules;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** What ops people watch: the connections, their runs, and a button to sync one now. */
@RestController
@RequestMapping("/api/v1/ops")
@Validated
class ConnectionOpsController {

    static final int MAX_LIMIT = 500;

    private final ConnectionRepository connections;
    private final SyncRuns runs;
    private final SyncSchedules schedules;

    ConnectionOpsController(ConnectionRepository connections, SyncRuns runs, SyncSchedules schedules) {
        this.connections = connections;
        this.runs = runs;
        this.schedules = schedules;
    }

    @GetMapping("/connections")
    List<ConnectionView> connections() {
        return connections.findAll().stream().map(c -> {
            SyncRun last = runs.list(c.id(), 1).stream().findFirst().orElse(null);
            return new ConnectionView(c.id(), c.partner(), c.system(), c.zone(), c.medical(), c.schedule(), c.status(),
                    c.statusMessage(), last == null ? null : last.status(), last == null ? null : last.startedAt(),
                    last == null ? null : last.finishedAt());
        }).toList();
    }

    @GetMapping("/sync-runs")
    List<SyncRun> syncRuns(@RequestParam(required = false) String connectionId,
                           @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        if (connectionId != null && connections.find(connectionId).isEmpty()) {
            throw new UnknownConnectionException(connectionId);
        }
        return runs.list(connectionId, limit);
    }

    @PostMapping("/connections/{id}/sync")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, String> sync(@PathVariable String id) {
        PartnerConnection c = connections.find(id).orElseThrow(() -> new UnknownConnectionException(id));
        if (c.status() != ConnectionStatus.ACTIVE) {
            throw new ConnectionNotActiveException(c);
        }
        schedules.triggerNow(id);
        return Map.of("connectionId", id, "status", "ACCEPTED",
                "runs", "/api/v1/ops/sync-runs?connectionId=" + id);
    }

    /** A connection as ops see it: never its credentials. */
    record ConnectionView(String id, String partner, String system, ZoneId zone, boolean medical, String schedule,
                          ConnectionStatus status, String statusMessage, SyncRunStatus lastRunStatus,
                          Instant lastRunStartedAt, Instant lastRunFinishedAt) {
    }
}
