package ru.svoykrug.hub.sync;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/** Cursors in {@code ops.sync_cursor}: loaded at the start of a stream, moved only with the rows they cover. */
@Repository
public class SyncCursors {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    public SyncCursors(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public StreamCursor load(String connectionId, String stream) {
        jdbc.update("INSERT INTO ops.sync_cursor (connection_id, stream, position) VALUES (?, ?, '{}'::jsonb) "
                + "ON CONFLICT DO NOTHING", connectionId, stream);
        return jdbc.queryForObject("SELECT position::text, version FROM ops.sync_cursor WHERE connection_id = ? AND stream = ?",
                (rs, n) -> new StreamCursor(json.readValue(rs.getString(1), STRING_MAP), rs.getLong(2)), connectionId, stream);
    }

    /** A cursor back at its start (a backfill's, before each backfill); returns it as loaded. */
    StreamCursor restart(String connectionId, String key) {
        jdbc.update("""
                INSERT INTO ops.sync_cursor (connection_id, stream, position) VALUES (?, ?, '{}'::jsonb)
                ON CONFLICT (connection_id, stream) DO UPDATE SET position = '{}'::jsonb, version = ops.sync_cursor.version + 1,
                                                                  updated_at = now()""", connectionId, key);
        return load(connectionId, key);
    }

    /** Moves the cursor from {@code from}; fails if someone else moved it meanwhile. Call inside the page's transaction. */
    StreamCursor move(String connectionId, String stream, StreamCursor from, Map<String, String> changes) {
        StreamCursor next = from.with(changes);
        int updated = jdbc.update("""
                UPDATE ops.sync_cursor SET position = ?::jsonb, version = version + 1, updated_at = now()
                 WHERE connection_id = ? AND stream = ? AND version = ?""",
                json.writeValueAsString(next.position()), connectionId, stream, from.version());
        if (updated != 1) {
            throw new IllegalStateException("The cursor of " + connectionId + "/" + stream
                    + " was moved by another run; this page is rolled back");
        }
        return new StreamCursor(next.position(), from.version() + 1);
    }
}
