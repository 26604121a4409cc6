package ru.svoykrug.hub.connections;

import java.time.ZoneId;
import java.util.Map;

/**
 * A partner's system as the hub reaches it: which partner, which system, where (settings), and its
 * time zone, since most partner systems send local times without an offset.
 */
public record PartnerConnection(String id, String partner, String system, ZoneId zone, boolean medical,
                                String schedule, Map<String, String> settings, ConnectionStatus status,
                                String statusMessage) {

    public String setting(String name, String defaultValue) {
        String value = settings.get(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }

    public String requiredSetting(String name) {
        String value = settings.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Connection " + id + " has no setting '" + name + "'");
        }
        return value;
    }

    public int intSetting(String name, int defaultValue) {
        return Integer.parseInt(setting(name, Integer.toString(defaultValue)));
    }
}
