package ru.svoykrug.hub.sync;

import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.ConnectionActivation;
import ru.svoykrug.hub.connections.PartnerConnection;

/** A connection made or changed gets its streams' routes and its Quartz schedule. */
@Component
class SyncActivation implements ConnectionActivation {

    private final Connectors connectors;
    private final ConnectorRoutes routes;
    private final SyncSchedules schedules;

    SyncActivation(Connectors connectors, ConnectorRoutes routes, SyncSchedules schedules) {
        this.connectors = connectors;
        this.routes = routes;
        this.schedules = schedules;
    }

    @Override
    public boolean supports(String system) {
        return connectors.supports(system);
    }

    @Override
    public void activate(PartnerConnection connection) {
        routes.install(connection);
        schedules.schedule(connection);
    }

    @Override
    public void deactivate(String connectionId) {
        schedules.unschedule(connectionId);
    }
}
