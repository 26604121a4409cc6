package ru.svoykrug.hub.sync;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.PartnerConnection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Instantiates a connection's routes from the paged-stream template: one route per stream of its system's
 * descriptor, reached at {@code direct:sync-<connection>-<stream>}, with the connection's own rate-limited
 * HTTP client.
 */
@Component
public class ConnectorRoutes {

    /** The one route template every stream is an instance of: {@code routes/paged-stream.yaml}. */
    static final String TEMPLATE = "paged-stream";

    private final CamelContext camel;
    private final Connectors connectors;
    private final ObjectProvider<SimulatedSystems> simulators;
    private final Map<String, String> apiRoots = new ConcurrentHashMap<>();

    public ConnectorRoutes(CamelContext camel, Connectors connectors, ObjectProvider<SimulatedSystems> simulators) {
        this.camel = camel;
        this.connectors = connectors;
        this.simulators = simulators;
    }

    public synchronized void install(PartnerConnection c) {
        Connector connector = connectors.get(c.system());
        StreamDescriptor descriptor = connectors.descriptor(c.system());
        remove(c.id(), descriptor);
        String apiRoot = connector.apiRoot(baseUrl(c));
        apiRoots.put(c.id(), apiRoot);
        camel.getRegistry().bind("partnerHttp-" + c.id(), connector.httpClient(c, descriptor.limits(c), apiRoot));
        for (String stream : descriptor.streamNames()) {
            TemplatedRouteBuilder.builder(camel, TEMPLATE)
                    .routeId(routeId(c.id(), stream))
                    .parameter("connectionId", c.id())
                    .parameter("stream", stream)
                    .parameter("apiRoot", apiRoot)
                    .parameter("httpMethod", descriptor.requester().method())
                    .parameter("okStatusCodeRange", descriptor.requester().okStatusCodeRange())
                    .add();
        }
    }

    /** Where the connection's requests go (its {@code baseUrl}, a simulator's address resolved). */
    public String apiRoot(String connectionId) {
        String root = apiRoots.get(connectionId);
        if (root == null) {
            throw new IllegalStateException("Connection " + connectionId + " has no routes installed");
        }
        return root;
    }

    private void remove(String connectionId, StreamDescriptor descriptor) {
        for (String stream : descriptor.streamNames()) {
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
