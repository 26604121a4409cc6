package ru.svoykrug.hub.connections;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Connections stated in configuration ({@code config/partners.yml}): created on start if they do not
 * exist yet (a connection changed through the API is not overwritten). With {@code hub.first-sync} each
 * of them syncs once as soon as the hub is ready (the sync package's FirstSync), so a new hub shows data
 * without waiting for a schedule.
 */
@Component
@EnableConfigurationProperties(ConfiguredConnections.Partners.class)
public class ConfiguredConnections implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredConnections.class);

    private final Partners partners;
    private final ConnectionService connections;

    ConfiguredConnections(Partners partners, ConnectionService connections) {
        this.partners = partners;
        this.connections = connections;
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

    /** The connections stated in configuration, in order. */
    public List<ConnectionDefinition> definitions() {
        return partners.partners();
    }

    /** Whether each of them syncs once as soon as the hub is ready ({@code hub.first-sync}). */
    public boolean firstSync() {
        return partners.firstSync();
    }

    /** Every configured connection had its first sync (whatever came of it); published by the sync package. */
    public record FirstSyncDone() {
    }

    @ConfigurationProperties(prefix = "hub")
    record Partners(List<ConnectionDefinition> partners, boolean firstSync) {
        Partners {
            partners = partners == null ? List.of() : partners;
        }
    }
}
