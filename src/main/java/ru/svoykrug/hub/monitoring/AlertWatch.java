package ru.svoykrug.hub.monitoring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;
import ru.svoykrug.hub.sync.SyncRunner;
import ru.svoykrug.hub.sync.SyncRuns;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Looks at every connection and the newest night every {@code hub.alerts.check-interval}, and at once
 * when a sync ends: refreshes the metrics' snapshot, opens and resolves incidents ({@link Incidents}),
 * and sends what is to send to the webhook. Incidents: a stale connection, rejected credentials, a
 * changed vendor format, dead letters, a failed night. Without a webhook they are tracked and marked as
 * told, so that turning it on later does not replay history.
 */
@Component
@EnableConfigurationProperties(AlertProperties.class)
public class AlertWatch {

    private static final Logger log = LoggerFactory.getLogger(AlertWatch.class);

    private final ConnectionStates connections;
    private final NightStates nights;
    private final Incidents incidents;
    private final HubMetrics metrics;
    private final ErrorReports errors;
    private final SyncRuns runs;
    private final AlertProperties properties;
    private final WebhookNotifier webhook;
    private ScheduledExecutorService timer;

    AlertWatch(ConnectionStates connections, NightStates nights, Incidents incidents, HubMetrics metrics, ErrorReports errors,
               SyncRuns runs, AlertProperties properties) {
        this.connections = connections;
        this.nights = nights;
        this.incidents = incidents;
        this.metrics = metrics;
        this.errors = errors;
        this.runs = runs;
        this.properties = properties;
        this.webhook = properties.webhook() == null ? null : new WebhookNotifier(properties.webhook(), properties.dashboardUrl());
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alert-watch");
            t.setDaemon(true);
            return t;
        });
        long every = properties.checkInterval().toMillis();
        timer.scheduleWithFixedDelay(this::checkQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** A run ended: an unexpected failure goes to Sentry, and the incidents are looked at now, not at the next tick. */
    @EventListener
    void runEnded(SyncRunner.SyncCompleted completed) {
        if (completed.status() == SyncRunStatus.FAILED && errors.on()) {
            connections.find(completed.connectionId())
                    .filter(c -> c.trouble() == Trouble.UNEXPECTED)
                    .ifPresent(c -> runs.find(completed.runId()).ifPresent((SyncRun run) ->
                            errors.syncFailed(c.id(), c.system(), run.id(), run.errorClass(), run.errorMessage())));
        }
        if (timer != null) {
            timer.execute(this::checkQuietly);
        }
    }

    /** One look: what is wrong now, against what was open; then the notifications. */
    public synchronized void check() {
        List<ConnectionStates.ConnectionState> all = connections.all();
        metrics.refresh(all, nights.lastSteps());
        List<Incident> found = new ArrayList<>();
        for (ConnectionStates.ConnectionState c : all) {
            if (c.stale()) {
                found.add(Incident.ofConnection(Incident.Kind.STALE, c));
            }
            if (c.trouble() == Trouble.CREDENTIALS_REJECTED) {
                found.add(Incident.ofConnection(Incident.Kind.CREDENTIALS_REJECTED, c));
            }
            if (c.trouble() == Trouble.FORMAT_CHANGED) {
                found.add(Incident.ofConnection(Incident.Kind.FORMAT_CHANGED, c));
            }
            if (c.deadLetters() > 0) {
                found.add(Incident.ofConnection(Incident.Kind.DEAD_LETTERS, c));
            }
        }
        nights.last().filter(NightStates.Night::failed).ifPresent(n -> found.add(Incident.ofNight(n)));
        incidents.reconcile(found);
        incidents.sendPending(p -> {
            if (p.opening() && p.kind() == Incident.Kind.NIGHT_FAILED && p.nightId() != null) {
                errors.nightFailed(p.nightId(), p.businessDate(), p.status());
            }
            return webhook == null || webhook.send(p);
        });
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("Alert check failed: {}", e.toString());
        }
    }
}
