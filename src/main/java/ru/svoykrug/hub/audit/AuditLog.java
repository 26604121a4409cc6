package ru.svoykrug.hub.audit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the audit, newest first, by id. A customer's entries are those naming them (or a local customer
 * merged into them) and the sync's changes of the partner records that name them by a client id (the
 * links of core; a link by phone is never written into the audit, so such records are found by the
 * customer only once the night has linked them by id).
 */
@Component
class AuditLog {

    private final JdbcTemplate jdbc;

    AuditLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<Row> page(Long customerId, Instant from, Instant to, long beforeId, int limit) {
        return jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    WITH ids AS (SELECT id FROM core.customer WHERE id = ? OR merged_into = ? UNION SELECT ?)
                    SELECT e.id, e.at, e.actor_subject, e.actor_role, e.action, e.fields, e.channel, e.customer_id,
                           e.connection_id, e.customer_key, e.record_ref
                      FROM audit.entry e
                     WHERE e.id < ? AND e.at >= ? AND e.at < ?
                       AND (CAST(? AS bigint) IS NULL
                            OR e.customer_id IN (SELECT id FROM ids)
                            OR (e.customer_key IS NOT NULL AND (e.connection_id, e.customer_key) IN
                                (SELECT l.connection_id, l.customer_key FROM core.customer_link l
                                  WHERE l.customer_id IN (SELECT id FROM ids))))
                     ORDER BY e.id DESC LIMIT ?""");
            for (int i = 1; i <= 3; i++) {
                if (customerId == null) {
                    ps.setNull(i, Types.BIGINT);
                } else {
                    ps.setLong(i, customerId);
                }
            }
            ps.setLong(4, beforeId);
            ps.setTimestamp(5, Timestamp.from(from));
            ps.setTimestamp(6, Timestamp.from(to));
            if (customerId == null) {
                ps.setNull(7, Types.BIGINT);
            } else {
                ps.setLong(7, customerId);
            }
            ps.setInt(8, limit);
            return ps;
        }, (rs, n) -> new Row(rs.getLong(1), rs.getTimestamp(2).toInstant(), new Actor(rs.getString(3), rs.getString(4)),
                rs.getString(5), new ArrayList<>(Arrays.asList((String[]) rs.getArray(6).getArray())), rs.getString(7),
                (Long) rs.getObject(8), rs.getString(9), rs.getString(10), rs.getString(11)));
    }

    /** An entry as ops read it. */
    record Row(long id, Instant at, Actor actor, String action, List<String> fields, String channel, Long customerId,
               String connectionId, String customerKey, String recordRef) {
    }
}
