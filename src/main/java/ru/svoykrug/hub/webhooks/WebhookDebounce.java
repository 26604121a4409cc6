package ru.svoykrug.hub.webhooks;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.UnknownConnectionException;
import ru.svoykrug.hub.sync.ConnectionNotActiveException;
import ru.svoykrug.hub.sync.SyncAlreadyRunningException;
import ru.svoykrug.hub.sync.SyncRunner;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns notifications into incremental syncs: the first notification of a quiet connection starts a run
 * after the debounce window (so a burst of a hundred starts one); notifications during a run make exactly
 * one more run after it ends (the change they announce may have come after the run read that page); never
 * two at once, on one node by this state and on the cluster by {@link SyncRunner}'s lock (a run already
 * going elsewhere, a scheduled one, is waited out: the trigger is tried again a window later).
 */
@Component
class WebhookDebounce {

    private static final Logger log = LoggerFactory.getLogger(WebhookDebounce.class);

    enum State { QUEUED, RUNNING, RUNNING_AGAIN }

    private final SyncRunner runner;
    private final Duration window;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "webhook-sync");
        t.setDaemon(true);
        return t;
    });

    WebhookDebounce(SyncRunner runner, @Value("${hub.webhooks.debounce-millis:2000}") long debounceMillis) {
        this.runner = runner;
        this.window = Duration.ofMillis(debounceMillis);
    }

    /** A notification for the connection (already verified). */
    void notified(String connectionId) {
        boolean[] queued = {false};
        states.compute(connectionId, (id, state) -> {
            if (state == null) {
                queued[0] = true;
                return State.QUEUED;
            }
            return state == State.RUNNING ? State.RUNNING_AGAIN : state;
        });
        if (queued[0]) {
            schedule(connectionId);
        }
    }

    private void schedule(String connectionId) {
        executor.schedule(() -> run(connectionId), window.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run(String connectionId) {
        states.put(connectionId, State.RUNNING);
        boolean retry = false;
        try {
            runner.run(connectionId, "webhook");
        } catch (SyncAlreadyRunningException e) {
            retry = true;
        } catch (ConnectionNotActiveException | UnknownConnectionException e) {
            log.info("Webhook sync of {} skipped: {}", connectionId, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Webhook sync of {} failed to run: {}", connectionId, e.toString());
        }
        boolean again = retry;
        State next = states.compute(connectionId, (id, state) -> state == State.RUNNING_AGAIN || again ? State.QUEUED : null);
        if (next == State.QUEUED) {
            schedule(connectionId);
        }
    }

    /** Whether a webhook run of the connection is queued or going (for tests and ops). */
    boolean busy(String connectionId) {
        return states.containsKey(connectionId);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
