package ru.svoykrug.hub.monitoring;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Open and resolved incidents in {@code ops.alert_incident} (V23), so that a restart or a second node
 * neither notifies an open incident again nor loses its recovery. Opening takes the key's one open row
 * ({@code ON CONFLICT DO NOTHING}); a notification is marked sent in the transaction that holds its row
 * ({@code FOR UPDATE SKIP LOCKED}), so two nodes never send the same one.
 */
@Repository
class Incidents {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    Incidents(JdbcTemplate jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /** Opens what is found and not open, resolves what is open and no longer found. */
    void reconcile(Collection<Incident> found) {
        Set<String> open = new HashSet<>(jdbc.queryForList(
                "SELECT incident_key FROM ops.alert_incident WHERE resolved_at IS NULL", String.class));
        Set<String> foundKeys = new HashSet<>();
        for (Incident i : found) {
            foundKeys.add(i.key());
            if (!open.contains(i.key())) {
                jdbc.update("""
                        INSERT INTO ops.alert_incident (incident_key, kind, connection_id, night_id, status, error_class)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (incident_key) WHERE resolved_at IS NULL DO NOTHING""",
                        i.key(), i.kind().name(), i.connectionId(), i.nightId(), i.status(), i.errorClass());
            }
        }
        for (String key : open) {
            if (!foundKeys.contains(key)) {
                jdbc.update("UPDATE ops.alert_incident SET resolved_at = now() WHERE incident_key = ? AND resolved_at IS NULL", key);
            }
        }
    }

    /**
     * Hands each notification still to send to {@code send} (true when delivered) and marks the delivered
     * ones; what failed is tried again at the next check.
     */
    int sendPending(Predicate<Pending> send) {
        List<Long> ids = jdbc.queryForList("""
                SELECT id FROM ops.alert_incident
                 WHERE opened_sent_at IS NULL OR (resolved_at IS NOT NULL AND resolved_sent_at IS NULL) ORDER BY id""", Long.class);
        int sent = 0;
        for (long id : ids) {
            Boolean delivered = transaction.execute(tx -> {
                List<Pending> rows = jdbc.query("""
                        SELECT i.id, i.kind, i.connection_id, i.night_id, i.status, i.error_class, i.opened_at, i.resolved_at,
                               i.opened_sent_at, c.partner, c.partner_id, c.system,
                               (SELECT p.parameter_value FROM batch_job_execution_params p
                                 WHERE p.job_execution_id = i.night_id AND p.parameter_name = 'businessDate') AS business_date
                          FROM ops.alert_incident i LEFT JOIN ops.partner_connection c ON c.id = i.connection_id
                         WHERE i.id = ? AND (i.opened_sent_at IS NULL OR (i.resolved_at IS NOT NULL AND i.resolved_sent_at IS NULL))
                           FOR UPDATE OF i SKIP LOCKED""",
                        (rs, n) -> new Pending(rs.getLong("id"), Incident.Kind.valueOf(rs.getString("kind")),
                                rs.getString("connection_id"), (Long) rs.getObject("night_id"), rs.getString("status"),
                                rs.getString("error_class"), instant(rs.getTimestamp("opened_at")),
                                instant(rs.getTimestamp("resolved_at")), rs.getTimestamp("opened_sent_at") == null,
                                rs.getString("partner"), rs.getString("partner_id"), rs.getString("system"),
                                rs.getString("business_date")), id);
                if (rows.isEmpty()) {
                    return false;
                }
                Pending p = rows.get(0);
                if (!send.test(p)) {
                    return false;
                }
                // an incident opened and resolved between two checks: its opening was told, its recovery next time
                jdbc.update(p.opening() ? "UPDATE ops.alert_incident SET opened_sent_at = now() WHERE id = ?"
                        : "UPDATE ops.alert_incident SET resolved_sent_at = now() WHERE id = ?", id);
                return true;
            });
            if (Boolean.TRUE.equals(delivered)) {
                sent++;
            }
        }
        return sent;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** A notification to send: the opening of an incident, or (when its opening went out) its recovery. */
    record Pending(long id, Incident.Kind kind, String connectionId, Long nightId, String status, String errorClass,
                   Instant openedAt, Instant resolvedAt, boolean opening, String partner, String partnerId, String system,
                   String businessDate) {
    }
}
