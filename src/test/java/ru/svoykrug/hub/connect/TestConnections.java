package ru.svoykrug.hub.connect;

import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;

import java.util.Map;

/** Connections the tests make, with a schedule far away so that only the test starts their runs. */
public final class TestConnections {

    public static final String NEVER = "0 0 3 1 1 ? 2099";

    private TestConnections() {
    }

    public static ConnectionDefinition yclients(String id, YclientsSimulator simulator, int pageSize) {
        return yclients(id, simulator, pageSize, YclientsSimulator.USER_TOKEN);
    }

    public static ConnectionDefinition yclients(String id, YclientsSimulator simulator, int pageSize, String userToken) {
        return new ConnectionDefinition(id, "Partner " + id, "yclients", "Europe/Moscow", false, NEVER,
                Map.of("baseUrl", simulator.baseUrl(), "companyId", Integer.toString(simulator.companyId()),
                        "pageSize", Integer.toString(pageSize)),
                Map.of("partnerToken", YclientsSimulator.PARTNER_TOKEN, "userToken", userToken));
    }
}
