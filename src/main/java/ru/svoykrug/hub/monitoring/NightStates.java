package ru.svoykrug.hub.monitoring;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The nights as monitoring needs them, read from Spring Batch's tables (monitoring does not import the
 * night): the newest night's status and its steps' durations and counts.
 */
@Repository
public class NightStates {

    private final JdbcTemplate jdbc;

    public NightStates(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The newest night (by execution id), if any ran. */
    public Optional<Night> last() {
        return jdbc.query("""
                SELECT e.job_execution_id, e.status, e.end_time,
                       (SELECT p.parameter_value FROM batch_job_execution_params p
                         WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = 'businessDate') AS business_date
                  FROM batch_job_execution e JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                 WHERE i.job_name = 'nightly' ORDER BY e.job_execution_id DESC LIMIT 1""",
                (rs, n) -> new Night(rs.getLong(1), rs.getString(2), instant(rs.getTimestamp(3)), rs.getString(4))).stream().findFirst();
    }

    /** The steps of the newest finished night; a restarted night's steps are those of its last execution. */
    public List<Step> lastSteps() {
        return jdbc.query("""
                SELECT s.step_name, s.status, s.read_count, s.write_count, s.start_time, s.end_time
                  FROM batch_step_execution s
                 WHERE s.job_execution_id = (SELECT max(e.job_execution_id) FROM batch_job_execution e
                                               JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                                              WHERE i.job_name = 'nightly' AND e.end_time IS NOT NULL)
                 ORDER BY s.step_execution_id""",
                (rs, n) -> {
                    Instant start = instant(rs.getTimestamp(5));
                    Instant end = instant(rs.getTimestamp(6));
                    return new Step(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            start == null || end == null ? null : Duration.between(start, end));
                });
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    public record Night(long id, String status, Instant finishedAt, String businessDate) {
        public boolean failed() {
            return "FAILED".equals(status) || "ABANDONED".equals(status) || "UNKNOWN".equals(status);
        }
    }

    public record Step(String name, String status, long read, long written, Duration duration) {
    }
}
