package ru.svoykrug.hub.ops;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * The connections as ops see them, each with its last run, in one query (the last run of each through
 * the index {@code sync_run_by_connection}), whatever the number of connections. Never credentials.
 */
@Repository
class ConnectionOverview {

    private final JdbcTemplate jdbc;

    ConnectionOverview(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<ConnectionView> all() {
        return jdbc.query("""
                SELECT c.id, c.partner_id, c.partner, c.system, c.zone, c.medical, c.schedule, c.status, c.status_message,
                       r.status AS run_status, r.started_at, r.finished_at
                FROM ops.partner_connection c
                LEFT JOIN LATERAL (SELECT status, started_at, finished_at FROM ops.sync_run s
                                   WHERE s.connection_id = c.id ORDER BY s.id DESC LIMIT 1) r ON true
                ORDER BY c.id""", ConnectionOverview::view);
    }

    private static ConnectionView view(ResultSet rs, int row) throws SQLException {
        String runStatus = rs.getString("run_status");
        return new ConnectionView(rs.getString("id"), rs.getString("partner_id"), rs.getString("partner"), rs.getString("system"),
                ZoneId.of(rs.getString("zone")), rs.getBoolean("medical"), rs.getString("schedule"),
                ConnectionStatus.valueOf(rs.getString("status")), rs.getString("status_message"),
                runStatus == null ? null : SyncRunStatus.valueOf(runStatus), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** A connection as ops see it: never its credentials. */
    record ConnectionView(String id, String partnerId, String partner, String system, ZoneId zone, boolean medical,
                          String schedule, ConnectionStatus status, String statusMessage, SyncRunStatus lastRunStatus,
                          Instant lastRunStartedAt, Instant lastRunFinishedAt) {
    }
}
