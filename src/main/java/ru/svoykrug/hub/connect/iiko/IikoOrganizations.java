package ru.svoykrug.hub.connect.iiko;

import ru.svoykrug.hub.sync.VendorErrorException;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The organizations (restaurants) one iiko connection reads. {@code organizationIds} names them: a YAML
 * list (which reaches the settings as {@code organizationIds.0}, {@code organizationIds.1}, ...) or a
 * comma-separated string; the older single {@code organizationId} still counts. Named none: every
 * organization the apiLogin sees ({@code POST /api/1/organizations}), looked up at the start of each run,
 * so a restaurant added to the login is read from its next run on.
 */
final class IikoOrganizations {

    // Spring binds a YAML list inside a Map<String, String> as organizationIds.0, organizationIds.1, ...
    private static final Pattern LISTED = Pattern.compile("organizationIds(?:\\[(\\d+)]|\\.(\\d+))");

    private IikoOrganizations() {
    }

    static List<String> configured(Map<String, String> settings) {
        Set<String> ids = new LinkedHashSet<>();
        TreeMap<Integer, String> listed = new TreeMap<>();
        settings.forEach((key, value) -> {
            Matcher m = LISTED.matcher(key);
            if (m.matches()) {
                listed.put(Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2)), value);
            }
        });
        listed.values().forEach(v -> add(ids, v));
        String joined = settings.get("organizationIds");
        if (joined != null) {
            for (String id : joined.split(",")) {
                add(ids, id);
            }
        }
        add(ids, settings.get("organizationId"));
        return List.copyOf(ids);
    }

    private static void add(Set<String> ids, String id) {
        if (id != null && !id.isBlank()) {
            ids.add(id.trim());
        }
    }

    /** The ids in an answer of {@code /api/1/organizations}. */
    static List<String> fromAnswer(JsonNode root) {
        JsonNode organizations = root.path("organizations");
        if (!organizations.isArray()) {
            throw new VendorErrorException("iiko answered /api/1/organizations without an organizations list");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode o : organizations) {
            if (o.path("id").isString() && !o.path("id").asString().isBlank()) {
                ids.add(o.path("id").asString());
            }
        }
        if (ids.isEmpty()) {
            throw new VendorErrorException("the iiko apiLogin sees no organization: the partner must give it one in iikoWeb");
        }
        return List.copyOf(ids);
    }
}
