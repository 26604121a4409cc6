package ru.svoykrug.hub.monitoring;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /actuator/health} component {@code partnerSyncs}: the stale and the stopped connections and the
 * newest night when it failed. It stays UP: a partner that stopped answering, or a failed night, is a
 * reason to alert (see {@link AlertWatch}), not to take the hub out of a load balancer. Its details show
 * to OPS only ({@code management.endpoint.health.show-details: when-authorized}, roles OPS).
 */
@Component("partnerSyncs")
class SyncHealth implements HealthIndicator {

    private final ConnectionStates connections;
    private final NightStates nights;

    SyncHealth(ConnectionStates connections, NightStates nights) {
        this.connections = connections;
        this.nights = nights;
    }

    @Override
    public Health health() {
        List<ConnectionStates.ConnectionState> all = connections.all();
        Map<String, Object> stale = new LinkedHashMap<>();
        Map<String, Object> stopped = new LinkedHashMap<>();
        for (ConnectionStates.ConnectionState c : all) {
            if (c.stale()) {
                stale.put(c.id(), c.lastSuccessAt() == null ? "never synced" : "last good sync " + c.lastSuccessAt());
            }
            if (c.stopped()) {
                stopped.put(c.id(), c.problem() != null ? c.problem() : c.status().name().toLowerCase().replace('_', ' '));
            }
        }
        Health.Builder health = Health.up()
                .withDetail("connections", all.size())
                .withDetail("stale", stale)
                .withDetail("stopped", stopped);
        nights.last().filter(NightStates.Night::failed).ifPresent(night -> health.withDetail("failedNight",
                Map.of("id", night.id(), "businessDate", String.valueOf(night.businessDate()), "status", night.status())));
        return health.build();
    }
}
