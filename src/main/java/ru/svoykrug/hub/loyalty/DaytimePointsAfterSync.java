package ru.svoykrug.hub.loyalty;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.sync.SyncRunStatus;
import ru.svoykrug.hub.sync.SyncRunner;

/**
 * After each sync that wrote its pages (SUCCEEDED, or PARTIAL with dead letters), the daytime points of
 * what it changed, in the run's own thread: seconds after the run, well within the minute. A failure here
 * is logged and left to the next run or the night; it never fails the sync.
 */
@Component
class DaytimePointsAfterSync {

    private static final Logger log = LoggerFactory.getLogger(DaytimePointsAfterSync.class);

    private final DaytimePoints daytime;

    DaytimePointsAfterSync(DaytimePoints daytime) {
        this.daytime = daytime;
    }

    @EventListener
    void synced(SyncRunner.SyncCompleted run) {
        if (run.status() != SyncRunStatus.SUCCEEDED && run.status() != SyncRunStatus.PARTIAL) {
            return;
        }
        try {
            daytime.post(run.connectionId());
        } catch (RuntimeException e) {
            log.warn("Connection {}: daytime points not posted after run {}: {}", run.connectionId(), run.runId(), e.toString());
        }
    }
}
