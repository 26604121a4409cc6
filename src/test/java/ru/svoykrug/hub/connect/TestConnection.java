package ru.svoykrug.hub.connect;

import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.simulate.kit.Simulator;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * A test's connection to a simulator before it is made: what {@link TestConnections#connection} starts
 * from, plus what the scenario tunes (a page size, a history start, a rate limit) or spoils (a wrong
 * password). The simulator's own credentials are asked for only when the test keeps them: amoCRM's
 * issue a token pair.
 */
public final class TestConnection {

    private final String id;
    private final Simulator simulator;
    private final Map<String, String> settings;
    private Map<String, String> credentials;
    private String partner;
    private String zone = "Europe/Moscow";

    TestConnection(String id, Simulator simulator, Map<String, String> address) {
        this.id = id;
        this.simulator = simulator;
        this.partner = "Partner " + id;
        this.settings = new HashMap<>(address);
        this.settings.put("baseUrl", simulator.baseUrl());
    }

    public TestConnection partner(String name) {
        this.partner = name;
        return this;
    }

    public TestConnection zone(ZoneId partnerZone) {
        this.zone = partnerZone.getId();
        return this;
    }

    /** Settings as name, value, name, value, ... */
    public TestConnection settings(String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            settings.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return this;
    }

    public TestConnection settings(Map<String, String> more) {
        settings.putAll(more);
        return this;
    }

    public TestConnection withoutSetting(String name) {
        settings.remove(name);
        return this;
    }

    /** Other credentials than the simulator lets in by default, all of them. */
    public TestConnection credentials(Map<String, String> instead) {
        this.credentials = new HashMap<>(instead);
        return this;
    }

    public TestConnection credential(String name, String value) {
        defaultCredentials().put(name, value);
        return this;
    }

    public TestConnection withoutCredential(String name) {
        defaultCredentials().remove(name);
        return this;
    }

    public ConnectionDefinition definition() {
        return new ConnectionDefinition(id, partner, simulator.system(), zone, simulator.medical(), TestConnections.NEVER,
                settings, defaultCredentials());
    }

    private Map<String, String> defaultCredentials() {
        if (credentials == null) {
            credentials = new HashMap<>(simulator.credentials());
        }
        return credentials;
    }
}
