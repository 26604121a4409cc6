package ru.svoykrug.hub.sync;

import java.util.HashMap;
import java.util.Map;

/**
 * Where a stream of a connection stands, as stored in {@code ops.sync_cursor}. The position's keys are the
 * connector's business; the version guards against two writers moving the same cursor.
 */
public record StreamCursor(Map<String, String> position, long version) {

    public static StreamCursor initial() {
        return new StreamCursor(Map.of(), 0);
    }

    public String get(String key) {
        return position.get(key);
    }

    public StreamCursor with(Map<String, String> changes) {
        Map<String, String> next = new HashMap<>(position);
        changes.forEach((k, v) -> {
            if (v == null) {
                next.remove(k);
            } else {
                next.put(k, v);
            }
        });
        return new StreamCursor(Map.copyOf(next), version);
    }
}
