package ru.svoykrug.hub.connections;

import java.util.Map;

/** A connection as configuration or the partner API states it, with its credentials in the clear. */
public record ConnectionDefinition(String id, String partner, String system, String zone, boolean medical,
                                   String schedule, Map<String, String> settings, Map<String, String> credentials) {

    public ConnectionDefinition {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
        zone = zone == null ? "Europe/Moscow" : zone;
        schedule = schedule == null ? "0 */15 * * * ?" : schedule;
    }
}
