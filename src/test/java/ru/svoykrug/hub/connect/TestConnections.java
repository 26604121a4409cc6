package ru.svoykrug.hub.connect;

import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.simulate.iiko.IikoSimulator;
import ru.svoykrug.hub.simulate.kit.Simulator;
import ru.svoykrug.hub.simulate.renovatio.RenovatioSimulator;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;

import java.util.Map;
import java.util.function.Function;

/**
 * The connections the tests make, one per system against its simulator, found by the simulator's system
 * name: its base URL, the account it serves (a YCLIENTS company, an iiko organization, a Renovatio clinic),
 * the credentials it lets in ({@link Simulator#credentials()}), medical when the system is, the partner's
 * zone Moscow, and a schedule that never comes ({@link #NEVER}), so that only the test starts their runs.
 * A new system needs a line in {@code ACCOUNTS} only when reaching its simulator takes more than its base
 * URL and credentials.
 */
public final class TestConnections {

    /** A Quartz schedule that never fires in a test's lifetime: every connection and fixture of the tests uses it. */
    public static final String NEVER = "0 0 3 1 1 ? 2099";

    /** What a connection must name of the simulated account besides its base URL, by system name. */
    private static final Map<String, Function<Simulator, Map<String, String>>> ACCOUNTS = Map.of(
            "yclients", sim -> Map.of("companyId", Integer.toString(((YclientsSimulator) sim).companyId())),
            "iiko", sim -> Map.of("organizationId", ((IikoSimulator) sim).data().organizationId()),
            "renovatio", sim -> Map.of("clinicId", RenovatioSimulator.CLINIC_ID));

    private TestConnections() {
    }

    /** A connection to {@code simulator}, to tune or spoil before it is made ({@link TestConnection#definition()}). */
    public static TestConnection connection(String id, Simulator simulator) {
        return new TestConnection(id, simulator, ACCOUNTS.getOrDefault(simulator.system(), sim -> Map.of()).apply(simulator));
    }

    /** A partner of system {@code file}: no route and no simulator; its data come by file or straight into staging. */
    public static ConnectionDefinition file(String id, String partner, String zone) {
        return new ConnectionDefinition(id, partner, "file", zone, false, NEVER, Map.of(), Map.of());
    }

    public static ConnectionDefinition yclients(String id, YclientsSimulator simulator, int pageSize) {
        return connection(id, simulator).settings("pageSize", Integer.toString(pageSize)).definition();
    }

    public static ConnectionDefinition yclients(String id, YclientsSimulator simulator, int pageSize, String userToken) {
        return connection(id, simulator).settings("pageSize", Integer.toString(pageSize)).credential("userToken", userToken)
                .definition();
    }
}
