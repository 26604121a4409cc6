package ru.svoykrug.hub.sync;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

@Repository
public class SyncRuns {

    private static final String SELECT = "SELECT id, connection_id, trigger, started_at, finished_at, status, pages, "
            + "records_read, records_written, records_rejected, error_class, error_message, notes FROM ops.sync_run";

    private final JdbcTemplate jdbc;

    public SyncRuns(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long start(String connectionId, String trigger) {
        return jdbc.queryForObject("INSERT INTO ops.sync_run (connection_id, trigger, status) VALUES (?, ?, 'RUNNING') RETURNING id",
                Long.class, connectionId, trigger);
    }

    void finish(long id, SyncRunStatus status, String errorClass, String errorMessage) {
        jdbc.update("UPDATE ops.sync_run SET status = ?, finished_at = now(), error_class = ?, error_message = ? WHERE id = ?",
                status.name(), errorClass, truncate(errorMessage), id);
    }

    /** Adds a line to the run's notes: something ops should know that the status does not say. */
    public void note(long id, String note) {
        jdbc.update("UPDATE ops.sync_run SET notes = CASE WHEN notes IS NULL THEN ? ELSE notes || E'\\n' || ? END WHERE id = ?",
                note, note, id);
    }

    /** Runs still RUNNING while nobody holds the connection's lock were left by a hub that died. */
    int abandonStale(String connectionId) {
        return jdbc.update("""
                UPDATE ops.sync_run SET status = 'FAILED', finished_at = now(), error_class = 'Abandoned',
                       error_message = 'The hub stopped during this run; the next run resumed from its last committed page'
                 WHERE connection_id = ? AND status = 'RUNNING'""", connectionId);
    }

    public Optional<SyncRun> find(long id) {
        return jdbc.query(SELECT + " WHERE id = ?", SyncRuns::map, id).stream().findFirst();
    }

    public List<SyncRun> list(String connectionId, int limit) {
        return connectionId == null
                ? jdbc.query(SELECT + " ORDER BY id DESC LIMIT ?", SyncRuns::map, limit)
                : jdbc.query(SELECT + " WHERE connection_id = ? ORDER BY id DESC LIMIT ?", SyncRuns::map, connectionId, limit);
    }

    private static SyncRun map(ResultSet rs, int row) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new SyncRun(rs.getLong("id"), rs.getString("connection_id"), rs.getString("trigger"),
                rs.getTimestamp("started_at").toInstant(), finished == null ? null : finished.toInstant(),
                SyncRunStatus.valueOf(rs.getString("status")), rs.getInt("pages"), rs.getLong("records_read"),
                rs.getLong("records_written"), rs.getLong("records_rejected"), rs.getString("error_class"),
                rs.getString("error_message"), rs.getString("notes"));
    }

    private static String truncate(String message) {
        return message == null || message.length() <= 2000 ? message : message.substring(0, 2000) + "…";
    }
}
