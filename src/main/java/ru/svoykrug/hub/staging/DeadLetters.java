package ru.svoykrug.hub.staging;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Connection;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dead letter table: one row per (connection, stream, record), holding the record's source id, the
 * fields that failed and the reason, never the record's values. A record rejected again updates its row.
 */
@Repository
public class DeadLetters {

    private final JdbcTemplate jdbc;

    public DeadLetters(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A connection's dead letters, newest first: source id, failing fields and reason, never values. */
    public List<Letter> list(String connectionId, int limit) {
        return jdbc.query("""
                SELECT id, stream, source_id, fields, reason, read_count, created_at, last_seen_at, sync_run_id
                  FROM ops.dead_letter WHERE connection_id = ? ORDER BY id DESC LIMIT ?""",
                (rs, n) -> new Letter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getInt(6), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant(), (Long) rs.getObject(9)),
                connectionId, limit);
    }

    /** One dead letter as the ops and partner APIs show it. */
    public record Letter(long id, String stream, String sourceId, String fields, String reason, int readCount,
                         java.time.Instant firstSeenAt, java.time.Instant lastSeenAt, Long syncRunId) {
    }

    /** Records of a stream that were mapped after all (fixed at the vendor): their dead letters go. Returns how many. */
    public int settle(String connectionId, String stream, Set<String> mappedSourceIds) {
        if (mappedSourceIds.isEmpty()) {
            return 0;
        }
        return jdbc.update(con -> {
            var ps = con.prepareStatement("DELETE FROM ops.dead_letter WHERE connection_id = ? AND stream = ? AND record_key = ANY (?)");
            ps.setString(1, connectionId);
            ps.setString(2, stream);
            ps.setArray(3, con.createArrayOf("text", mappedSourceIds.toArray()));
            return ps;
        });
    }

    /**
     * Keeps the rejected records of one page (call inside the page's transaction). Returns how many of
     * them this run had not rejected before: a record re-read within a run (an overlap, a resumed page)
     * counts once. {@code runId} is null outside a sync run (a history import).
     */
    public int keep(String connectionId, Long runId, String stream, List<StagedPage.Rejected> rejected) {
        if (rejected.isEmpty()) {
            return 0;
        }
        Map<String, StagedPage.Rejected> byKey = new LinkedHashMap<>();
        for (StagedPage.Rejected r : rejected) {
            byKey.put(r.recordKey(), r);
        }
        Collection<StagedPage.Rejected> rows = byKey.values();
        Integer fresh = jdbc.execute((Connection con) -> {
            try (var ps = con.prepareStatement("""
                    WITH incoming AS (
                        SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS s(record_key, source_id, fields, reason)
                    ), before AS (
                        SELECT d.record_key FROM ops.dead_letter d JOIN incoming i ON i.record_key = d.record_key
                         WHERE d.connection_id = ? AND d.stream = ? AND d.sync_run_id IS NOT DISTINCT FROM ?::bigint
                           AND ?::bigint IS NOT NULL
                    ), kept AS (
                        INSERT INTO ops.dead_letter AS t (connection_id, sync_run_id, stream, record_key, source_id, fields, reason)
                        SELECT ?, ?::bigint, ?, i.record_key, i.source_id, i.fields, i.reason FROM incoming i
                        ON CONFLICT (connection_id, stream, record_key) DO UPDATE
                           SET sync_run_id = EXCLUDED.sync_run_id, source_id = EXCLUDED.source_id, fields = EXCLUDED.fields,
                               reason = EXCLUDED.reason, read_count = t.read_count + 1, last_seen_at = now()
                        RETURNING 1
                    )
                    SELECT (SELECT count(*) FROM kept) - (SELECT count(*) FROM before)
                    """)) {
                ps.setArray(1, con.createArrayOf("text", rows.stream().map(StagedPage.Rejected::recordKey).toArray()));
                ps.setArray(2, con.createArrayOf("text", rows.stream().map(StagedPage.Rejected::sourceId).toArray()));
                ps.setArray(3, con.createArrayOf("text", rows.stream().map(StagedPage.Rejected::fields).toArray()));
                ps.setArray(4, con.createArrayOf("text", rows.stream().map(StagedPage.Rejected::reason).toArray()));
                ps.setString(5, connectionId);
                ps.setString(6, stream);
                ps.setObject(7, runId, java.sql.Types.BIGINT);
                ps.setObject(8, runId, java.sql.Types.BIGINT);
                ps.setString(9, connectionId);
                ps.setObject(10, runId, java.sql.Types.BIGINT);
                ps.setString(11, stream);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
        return fresh == null ? 0 : fresh;
    }
}
