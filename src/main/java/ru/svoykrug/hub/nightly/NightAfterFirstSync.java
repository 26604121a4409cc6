package ru.svoykrug.hub.nightly;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.ConfiguredConnections;

import java.time.Duration;
import java.time.LocalDate;

/** On a new hub the first night would be hours away: after the first sync, run one for yesterday. */
@Component
class NightAfterFirstSync {

    private static final Logger log = LoggerFactory.getLogger(NightAfterFirstSync.class);

    private final NightlyRuns runs;
    private final boolean enabled;
    private final NightCalendar calendar;

    NightAfterFirstSync(NightlyRuns runs, NightlyProperties properties, NightCalendar calendar) {
        this.runs = runs;
        this.enabled = properties.afterFirstSync();
        this.calendar = calendar;
    }

    @EventListener
    void afterFirstSync(ConfiguredConnections.FirstSyncDone done) {
        if (!enabled) {
            return;
        }
        LocalDate yesterday = calendar.yesterday();
        try {
            log.info("Night of {} after the first sync: {}", yesterday, runs.runAndWait(yesterday, Duration.ofHours(1)).getStatus());
        } catch (RuntimeException e) {
            log.warn("Night of {} after the first sync did not run: {}", yesterday, e.getMessage());
        }
    }
}
