package ru.svoykrug.hub.partners;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.connections.HistoryFrom;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.staging.DeadLetters;
import ru.svoykrug.hub.sync.ConnectionNotActiveException;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRuns;
import ru.svoykrug.hub.sync.SyncSchedules;
import ru.svoykrug.hub.webhooks.WebhookSecrets;

import java.util.List;
import java.util.Map;

/**
 * A partner's own connections: {@code /api/v1/partners/{partnerId}/connections/...}. Role {@code PARTNER}
 * with that very partner id, or {@code OPS} ({@code security/PartnerAccess}); another partner's
 * connection answers 404. Credentials are write-only: no answer carries them.
 */
@RestController
@RequestMapping("/api/v1/partners/{partnerId}/connections")
class PartnerApi {

    static final String PARTNER_ID = "[a-z0-9][a-z0-9-]{0,62}";
    static final String CONNECTION_ID = "[a-z0-9][a-z0-9-]{1,62}";
    static final int MAX_LIMIT = 500;

    private final PartnerConnections connections;
    private final DeadLetters deadLetters;
    private final SyncRuns runs;
    private final SyncSchedules schedules;
    private final WebhookSecrets webhookSecrets;

    PartnerApi(PartnerConnections connections, DeadLetters deadLetters, SyncRuns runs, SyncSchedules schedules,
               WebhookSecrets webhookSecrets) {
        this.webhookSecrets = webhookSecrets;
        this.connections = connections;
        this.deadLetters = deadLetters;
        this.runs = runs;
        this.schedules = schedules;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ConnectionView create(@PathVariable @Pattern(regexp = PARTNER_ID) String partnerId,
                          @RequestBody @Valid @NotNull NewConnection request) {
        return ConnectionView.of(connections.create(partnerId, request));
    }

    @GetMapping
    List<ConnectionView> list(@PathVariable @Pattern(regexp = PARTNER_ID) String partnerId) {
        return connections.list(partnerId).stream().map(ConnectionView::of).toList();
    }

    @GetMapping("/{id}")
    ConnectionView one(@PathVariable @Pattern(regexp = PARTNER_ID) String partnerId,
                       @PathVariable @Pattern(regexp = CONNECTION_ID) String id) {
        return ConnectionView.of(connections.owned(partnerId, id));
    }

    @PatchMapping("/{id}")
    ConnectionView change(@PathVariable @Pattern(regexp = PARTNER_ID) String partnerId,
                          @PathVariable @Pattern(regexp = CONNECTION_ID) String id,
                          @RequestBody @Valid @NotNull ConnectionChange change) {
        return ConnectionView.of(connections.change(partnerId, id, change));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable @Pattern(regexp = PARTNER_ID) String partnerId,
                @PathVariable @Pattern(regexp = CONNECTION_ID) String id) {
        connections.delete(partnerId, id);
    }

    @PostMapping("/{id}/sync")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, String> sync(@PathVariable @Pattern(regexp = PARTNER_ID) String partnerId,
                             @PathVariable @Pattern(regexp = CONNECTION_ID) String id) {
        PartnerConnection c = connections.live(partnerId, id);
        if (c.status() != ConnectionStatus.ACTIVE || "file".equals(c.system())) {
            throw new ConnectionNotActiveException(c);
        }
        schedules.triggerNow(id);
        return Map.of("connectionId", id, "status", "ACCEPTED",
                "runs", "/api/v1/partners/" + partnerId + "/connections/" + id + "/sync-runs");
    }

    /**
     * Reads the connection's history again from {@code from} (an ISO date in the connection's zone, or an
     * instant with an offset), on cursors of its own: the live sync's cursors do not move back. The vendors'
     * change feeds have no end bound, so the run reads on from {@code from} to now; {@code to}, when given,
     * is checked and recorded. A record already staged in a newer version is never set back.
     */
    @PostMapping("/{id}/backfill")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, String> backfill(@PathVariable @Pattern(regexp = PARTNER_ID) String partnerId,
                                 @PathVariable @Pattern(regexp = CONNECTION_ID) String id,
                                 @RequestBody @NotNull Backfill window) {
        PartnerConnection c = connections.live(partnerId, id);
        if (c.status() != ConnectionStatus.ACTIVE || "file".equals(c.system())) {
            throw new ConnectionNotActiveException(c);
        }
        java.time.Instant from = backfillBound("from", window.from(), c);
        java.time.Instant now = java.time.Instant.now();
        if (from.isAfter(now) || from.isBefore(EARLIEST_BACKFILL)) {
            throw new IllegalArgumentException("from: expected a moment between 2000-01-01 and now");
        }
        if (window.to() != null && !backfillBound("to", window.to(), c).isAfter(from)) {
            throw new IllegalArgumentException("to: expected a moment after from");
        }
        schedules.triggerBackfill(id, from);
        return Map.of("connectionId", id, "status", "ACCEPTED", "from", from.toString(),
                "runs", "/api/v1/partners/" + partnerId + "/connections/" + id + "/sync-runs");
    }

    private static final java.time.Instant EARLIEST_BACKFILL = java.time.Instant.parse("2000-01-01T00:00:00Z");

    private static java.time.Instant backfillBound(String field, String value, PartnerConnection c) {
        if (value == null || value.length() > 40) {
            throw new IllegalArgumentException(field + ": expected an ISO date (2015-01-01) or an ISO instant with an offset");
        }
        try {
            return HistoryFrom.parse(value, c.zone());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
    }

    record Backfill(String from, String to) {
    }

    /**
     * A new webhook address for the connection (the previous one stops working): the secret is in it and
     * is shown this once. The partner pastes the hub's public address plus this path into its system's
     * webhook settings (YCLIENTS: Settings, Webhooks; amoCRM: Settings, Integrations, Web hooks).
     */
    @PostMapping("/{id}/webhook")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, String> webhook(@PathVariable @Pattern(regexp = PARTNER_ID) String partnerId,
                                @PathVariable @Pattern(regexp = CONNECTION_ID) String id) {
        PartnerConnection c = connections.live(partnerId, id);
        if ("file".equals(c.system())) {
            throw new IllegalArgumentException("A file connection takes no webhooks: its files are its trigger");
        }
        return Map.of("connectionId", id, "path", "/webhooks/v1/" + id + "/" + webhookSecrets.rotate(id),
                "note", "Shown once; the hub keeps only a digest of it. POST to the hub's address plus this path.");
    }

    @GetMapping("/{id}/sync-runs")
    List<SyncRun> syncRuns(@PathVariable @Pattern(regexp = PARTNER_ID) String partnerId,
                           @PathVariable @Pattern(regexp = CONNECTION_ID) String id,
                           @RequestParam(defaultValue = "50") @Min(1) @Max(MAX_LIMIT) int limit) {
        connections.owned(partnerId, id);
        return runs.list(id, limit);
    }

    @GetMapping("/{id}/dead-letters")
    List<DeadLetters.Letter> deadLetters(@PathVariable @Pattern(regexp = PARTNER_ID) String partnerId,
                                                    @PathVariable @Pattern(regexp = CONNECTION_ID) String id,
                                                    @RequestParam(defaultValue = "50") @Min(1) @Max(MAX_LIMIT) int limit) {
        connections.owned(partnerId, id);
        return deadLetters.list(id, limit);
    }

    /** A new connection; {@code id} is optional ({@code <partner>-<system>}, numbered when taken). */
    record NewConnection(@Pattern(regexp = CONNECTION_ID) String id,
                         @NotNull @Pattern(regexp = "[a-z0-9]{1,20}") String system,
                         @Size(max = 64) String zone,
                         @Size(max = 120) String schedule,
                         Boolean medical,
                         @Size(max = 64) Map<String, String> settings,
                         @Size(max = 16) Map<String, String> credentials) {
    }

    /** What a PATCH may change; a field left out stays as it is. */
    record ConnectionChange(Boolean paused,
                            @Size(max = 64) String zone,
                            @Size(max = 120) String schedule,
                            @Size(max = 64) Map<String, String> settings,
                            @Size(max = 16) Map<String, String> credentials) {
    }

    /** A connection as its partner sees it: everything but the credentials. */
    record ConnectionView(String id, String system, String zone, boolean medical, String schedule,
                          Map<String, String> settings, ConnectionStatus status, String statusMessage) {
        static ConnectionView of(PartnerConnection c) {
            return new ConnectionView(c.id(), c.system(), c.zone().getId(), c.medical(), c.schedule(), c.settings(),
                    c.status(), c.statusMessage());
        }
    }
}
