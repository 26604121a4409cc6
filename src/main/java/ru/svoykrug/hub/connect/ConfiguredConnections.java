package ru.svoykrug.hub.connect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Connections stated in configuration ({@code config/partners.yml}): created on start if they do not
 * exist yet (a connection changed through the API is not overwritten). With {@code hub.first-sync} each
 * of them syncs once as soon as the hub is ready, so a new hub shows data without waiting for a schedule.
 */
@Component
@EnableConfigurationProperties(ConfiguredConnections.Partners.class)
public class ConfiguredConnections implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredConnections.class);

    private final Partners partners;
    private final ConnectionService connections;
    private final SyncRunner runner;
    private final TaskExecutor executor;
    private final ApplicationEventPublisher events;

    ConfiguredConnections(Partners partners, ConnectionService connections, SyncRunner runner,
                          @Qualifier("applicationTaskExecutor") TaskExecutor executor, ApplicationEventPublisher events) {
        this.events = events;
        this.partners = partners;
        this.connections = connections;
        this.runner = runner;
        this.executor = executor;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (ConnectionDefinition d : partners.partners()) {
            try {
                connections.ensure(d);
            } catch (RuntimeException e) {
                log.error("Configured connection {} is not synced: {}", d.id(), e.getMessage());
            }
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    public void firstSync() {
        if (!partners.firstSync()) {
            return;
        }
        executor.execute(() -> {
            for (ConnectionDefinition d : partners.partners()) {
                try {
                    runner.run(d.id(), "first-sync");
                } catch (RuntimeException e) {
                    log.info("First sync of {} not run: {}", d.id(), e.getMessage());
                }
            }
            events.publishEvent(new FirstSyncDone());
        });
    }

    /** Every configured connection had its first sync (whatever came of it). */
    public record FirstSyncDone() {
    }

    @ConfigurationProperties(prefix = "hub")
    record Partners(List<ConnectionDefinition> partners, boolean firstSync) {
        Partners {
            partners = partners == null ? List.of() : partners;
        }
    }
}
