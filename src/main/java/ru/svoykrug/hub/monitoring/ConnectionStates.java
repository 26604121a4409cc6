package ru.svoykrug.hub.monitoring;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Every connection as ops watch it, in one query whatever their number (the last run and the last good run
 * of each through the index {@code sync_run_by_connection}): status, last run, time since the last good
 * sync against its schedule, dead letters, and what is wrong in plain words. Never credentials.
 *
 * <p>A connection is <b>stale</b> when it is active and its last good run (SUCCEEDED or PARTIAL; its
 * creation when it never had one) is older than twice its schedule's period. A file connection has no
 * schedule and is never stale; a paused or refused one is <b>stopped</b>, not stale.
 */
@Repository
public class ConnectionStates {

    private static final String SELECT = """
            SELECT c.id, c.partner_id, c.partner, c.system, c.zone, c.medical, c.schedule, c.status, c.status_message, c.created_at,
                   r.id AS run_id, r.status AS run_status, r.started_at, r.finished_at, r.records_read, r.records_written,
                   r.records_rejected, r.error_class, r.error_message, g.finished_at AS last_success_at,
                   (SELECT count(*) FROM ops.dead_letter d WHERE d.connection_id = c.id) AS dead_letters
              FROM ops.partner_connection c
              LEFT JOIN LATERAL (SELECT * FROM ops.sync_run s WHERE s.connection_id = c.id ORDER BY s.id DESC LIMIT 1) r ON true
              LEFT JOIN LATERAL (SELECT finished_at FROM ops.sync_run s WHERE s.connection_id = c.id
                                    AND s.status IN ('SUCCEEDED', 'PARTIAL') ORDER BY s.id DESC LIMIT 1) g ON true
            """;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public ConnectionStates(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public List<ConnectionState> all() {
        Instant now = clock.instant();
        return jdbc.query(SELECT + " ORDER BY c.id", (rs, n) -> state(rs, now));
    }

    public Optional<ConnectionState> find(String id) {
        Instant now = clock.instant();
        return jdbc.query(SELECT + " WHERE c.id = ?", (rs, n) -> state(rs, now), id).stream().findFirst();
    }

    private static ConnectionState state(ResultSet rs, Instant now) throws SQLException {
        String runStatus = rs.getString("run_status");
        SyncRunStatus lastRun = runStatus == null ? null : SyncRunStatus.valueOf(runStatus);
        ConnectionStatus status = ConnectionStatus.valueOf(rs.getString("status"));
        ZoneId zone = ZoneId.of(rs.getString("zone"));
        String system = rs.getString("system");
        String schedule = rs.getString("schedule");
        Instant lastSuccess = instant(rs.getTimestamp("last_success_at"));
        Duration period = ConnectionService.FILE.equals(system) ? null : SchedulePeriod.of(schedule, zone, now);
        Instant since = lastSuccess != null ? lastSuccess : instant(rs.getTimestamp("created_at"));
        boolean stale = status == ConnectionStatus.ACTIVE && period != null && since != null
                && Duration.between(since, now).compareTo(period.multipliedBy(2)) > 0;
        long rejected = rs.getLong("records_rejected");
        String errorClass = rs.getString("error_class");
        String errorMessage = rs.getString("error_message");
        Trouble trouble = Trouble.of(status, lastRun, errorClass, errorMessage, rejected);
        Long runId = rs.getObject("run_id") == null ? null : rs.getLong("run_id");
        return new ConnectionState(rs.getString("id"), rs.getString("partner_id"), rs.getString("partner"), system, zone,
                rs.getBoolean("medical"), schedule, status, rs.getString("status_message"),
                runId, lastRun, instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")), rs.getLong("records_read"), rs.getLong("records_written"), rejected,
                errorClass, errorMessage, lastSuccess,
                lastSuccess == null ? null : Duration.between(lastSuccess, now).toSeconds(),
                period == null ? null : period.toSeconds(), stale,
                status != ConnectionStatus.ACTIVE && status != ConnectionStatus.DELETED, // a deleted one is gone, not stopped
                trouble, trouble == null ? null : trouble.words(), rs.getLong("dead_letters"));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /**
     * A connection as ops see it: never its credentials. {@code lastRun*} describe its newest run;
     * {@code problem} is {@code trouble} in plain words (null when well).
     */
    public record ConnectionState(String id, String partnerId, String partner, String system, ZoneId zone, boolean medical,
                                  String schedule, ConnectionStatus status, String statusMessage, Long lastRunId,
                                  SyncRunStatus lastRunStatus, Instant lastRunStartedAt, Instant lastRunFinishedAt,
                                  long lastRunRecordsRead, long lastRunRecordsWritten, long lastRunRecordsRejected,
                                  String lastErrorClass, String lastErrorMessage, Instant lastSuccessAt,
                                  Long secondsSinceLastSuccess, Long schedulePeriodSeconds, boolean stale, boolean stopped,
                                  Trouble trouble, String problem, long deadLetters) {
    }
}
