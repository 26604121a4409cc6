package ru.svoykrug.hub.partners;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.List;

/** A connection's dead letters as its partner reads them: source id, failing fields and reason, never values. */
@Repository
class PartnerDeadLetters {

    private final JdbcTemplate jdbc;

    PartnerDeadLetters(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<DeadLetter> list(String connectionId, int limit) {
        return jdbc.query("""
                SELECT id, stream, source_id, fields, reason, read_count, sync_run_id, created_at, last_seen_at
                  FROM ops.dead_letter WHERE connection_id = ? ORDER BY id DESC LIMIT ?""",
                (rs, row) -> new DeadLetter(rs.getLong("id"), rs.getString("stream"), rs.getString("source_id"),
                        rs.getString("fields"), rs.getString("reason"), rs.getInt("read_count"),
                        (Long) rs.getObject("sync_run_id"), rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("last_seen_at").toInstant()),
                connectionId, limit);
    }

    record DeadLetter(long id, String stream, String sourceId, String fields, String reason, int readCount,
                      Long syncRunId, Instant firstSeenAt, Instant lastSeenAt) {
    }
}
