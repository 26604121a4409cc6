package ru.svoykrug.hub.nightly;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** The nights as ops see them, read from Spring Batch's tables and core.churn_model. */
@Repository
class NightlyExecutions {

    private static final String SELECT = """
            SELECT e.job_execution_id, e.status, e.exit_code, e.exit_message, e.create_time, e.start_time, e.end_time,
                   (SELECT p.parameter_value FROM batch_job_execution_params p
                     WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = '%s') AS business_date,
                   (SELECT p.parameter_value FROM batch_job_execution_params p
                     WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = '%s') AS run
              FROM batch_job_execution e JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
             WHERE i.job_name = '%s'""".formatted(NightlyRuns.BUSINESS_DATE, NightlyRuns.RUN, NightlyJobConfiguration.JOB);

    private static final String STEP_ORDER = String.join(",", NightlyJobConfiguration.STEPS);

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    NightlyExecutions(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    List<Night> list(int limit) {
        return jdbc.query(SELECT + " ORDER BY e.job_execution_id DESC LIMIT ?", this::night, limit);
    }

    Optional<Night> find(long id) {
        return jdbc.query(SELECT + " AND e.job_execution_id = ?", this::night, id).stream().findFirst();
    }

    List<FittedModel> models(LocalDate businessDate) {
        return jdbc.query("SELECT model, parameters::text, log_likelihood, customers FROM core.churn_model "
                        + "WHERE business_date = ? ORDER BY model",
                (rs, n) -> new FittedModel(rs.getString(1), json.readTree(rs.getString(2)),
                        rs.getObject(3) == null ? null : rs.getDouble(3), rs.getInt(4)), businessDate);
    }

    private Night night(ResultSet rs, int row) throws SQLException {
        long id = rs.getLong("job_execution_id");
        List<StepRun> steps = jdbc.query("""
                SELECT step_name, status, read_count, write_count, read_skip_count + write_skip_count + process_skip_count,
                       commit_count, rollback_count, start_time, end_time, exit_message
                  FROM batch_step_execution WHERE job_execution_id = ?
                 ORDER BY array_position(string_to_array(?, ','), step_name), step_execution_id""",
                (s, n) -> new StepRun(s.getString(1), s.getString(2), s.getLong(3), s.getLong(4), s.getLong(5),
                        s.getLong(6), s.getLong(7), instant(s.getTimestamp(8)), instant(s.getTimestamp(9)),
                        blankToNull(s.getString(10))), id, STEP_ORDER);
        String date = rs.getString("business_date");
        String run = rs.getString("run");
        return new Night(id, date == null ? null : LocalDate.parse(date), run == null ? null : Long.parseLong(run),
                rs.getString("status"), rs.getString("exit_code"), blankToNull(rs.getString("exit_message")),
                instant(rs.getTimestamp("start_time")), instant(rs.getTimestamp("end_time")), steps);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : firstLine(s);
    }

    // Batch keeps a stack trace in exit messages; ops get its first line, the log has the rest.
    private static String firstLine(String s) {
        int newline = s.indexOf('\n');
        return newline < 0 ? s : s.substring(0, newline);
    }

    record Night(long id, LocalDate businessDate, Long run, String status, String exitCode, String exitMessage,
                 Instant startedAt, Instant finishedAt, List<StepRun> steps) {
    }

    record StepRun(String name, String status, long readCount, long writeCount, long skipCount, long commitCount,
                   long rollbackCount, Instant startedAt, Instant finishedAt, String exitMessage) {
    }

    record FittedModel(String model, JsonNode parameters, Double logLikelihood, int customers) {
    }
}
