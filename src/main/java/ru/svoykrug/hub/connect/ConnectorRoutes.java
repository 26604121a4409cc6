package ru.svoykrug.hub.connect;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Instantiates a connection's routes from its system's template: one route per stream, reached at
 * {@code direct:sync-<connection>-<stream>}, with its own rate-limited HTTP client.
 */
@Component
public class ConnectorRoutes {

    private final CamelContext camel;
    private final Connectors connectors;
    private final ObjectProvider<SimulatedSystems> simulators;

    public ConnectorRoutes(CamelContext camel, Connectors connectors, ObjectProvider<SimulatedSystems> simulators) {
        this.camel = camel;
        this.connectors = connectors;
        this.simulators = simulators;
    }

    public synchronized void install(PartnerConnection c) {
        Connector connector = connectors.get(c.system());
        remove(c.id(), connector);
        String baseUrl = baseUrl(c);
        camel.getRegistry().bind("partnerHttp-" + c.id(), connector.httpClient(c,
                c.intSetting("requestsPerSecond", connector.defaultRequestsPerSecond()), baseUrl));
        for (String stream : connector.streams()) {
            TemplatedRouteBuilder.builder(camel, connector.system())
                    .routeId(routeId(c.id(), stream))
                    .parameter("connectionId", c.id())
                    .parameter("stream", stream)
                    .parameters(new java.util.HashMap<String, Object>(connector.templateParameters(c, stream, baseUrl)))
                    .add();
        }
    }

    private void remove(String connectionId, Connector connector) {
        for (String stream : connector.streams()) {
            String id = routeId(connectionId, stream);
            if (camel.getRoute(id) != null) {
                try {
                    camel.getRouteController().stopRoute(id);
                    camel.removeRoute(id);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot replace route " + id + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private String baseUrl(PartnerConnection c) {
        String configured = c.requiredSetting("baseUrl");
        if (!configured.startsWith(SimulatedSystems.PREFIX)) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        String system = configured.substring(SimulatedSystems.PREFIX.length());
        SimulatedSystems sims = simulators.getIfAvailable();
        return (sims == null ? java.util.Optional.<String>empty() : sims.baseUrl(system))
                .orElseThrow(() -> new IllegalStateException("Connection " + c.id() + " wants the " + system
                        + " simulator, but no simulators run in this hub (hub.demo.simulators=false)"));
    }

    static String routeId(String connectionId, String stream) {
        return "sync-" + connectionId + "-" + stream;
    }
}
