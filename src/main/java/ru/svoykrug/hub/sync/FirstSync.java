package ru.svoykrug.hub.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.ConfiguredConnections;
import ru.svoykrug.hub.connections.ConnectionDefinition;

/** With {@code hub.first-sync}, each configured connection syncs once as soon as the hub is ready. */
@Component
class FirstSync {

    private static final Logger log = LoggerFactory.getLogger(FirstSync.class);

    private final ConfiguredConnections configured;
    private final SyncRunner runner;
    private final TaskExecutor executor;
    private final ApplicationEventPublisher events;

    FirstSync(ConfiguredConnections configured, SyncRunner runner, @Qualifier("applicationTaskExecutor") TaskExecutor executor,
              ApplicationEventPublisher events) {
        this.configured = configured;
        this.runner = runner;
        this.executor = executor;
        this.events = events;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void firstSync() {
        if (!configured.firstSync()) {
            return;
        }
        executor.execute(() -> {
            for (ConnectionDefinition d : configured.definitions()) {
                try {
                    runner.run(d.id(), "first-sync");
                } catch (RuntimeException e) {
                    log.info("First sync of {} not run: {}", d.id(), e.getMessage());
                }
            }
            events.publishEvent(new ConfiguredConnections.FirstSyncDone());
        });
    }
}
