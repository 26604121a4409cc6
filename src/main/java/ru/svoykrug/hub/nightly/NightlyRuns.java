package ru.svoykrug.hub.nightly;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * Starts nights. A night is identified by its business date and a run number: a date whose last night
 * failed is restarted from the failed step; a date already done runs again as a new run (which, the
 * steps being idempotent, leaves core as it was).
 */
@Service
public class NightlyRuns {

    public static final String BUSINESS_DATE = "businessDate";
    static final String RUN = "run";

    private final JobOperator operator;
    private final JobRepository repository;
    private final Job nightly;
    private final JdbcTemplate jdbc;

    NightlyRuns(JobOperator operator, JobRepository repository, Job nightly, JdbcTemplate jdbc) {
        this.operator = operator;
        this.repository = repository;
        this.nightly = nightly;
        this.jdbc = jdbc;
    }

    /** Starts (or restarts) the night of a date; it runs on the batch executor. Returns its execution id. */
    public synchronized long start(LocalDate businessDate) {
        List<Long> last = jdbc.queryForList("""
                SELECT e.job_execution_id FROM batch_job_execution e
                  JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                  JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id AND p.parameter_name = ?
                 WHERE i.job_name = ? AND p.parameter_value = ?
                 ORDER BY e.job_execution_id DESC LIMIT 1""", Long.class, BUSINESS_DATE, NightlyJobConfiguration.JOB,
                businessDate.toString());
        try {
            if (!last.isEmpty()) {
                JobExecution previous = repository.getJobExecution(last.get(0));
                if (previous.isRunning()) {
                    throw new NightAlreadyRunningException(businessDate, previous.getId());
                }
                if (previous.getStatus() == BatchStatus.FAILED || previous.getStatus() == BatchStatus.STOPPED) {
                    return operator.restart(previous).getId();
                }
            }
            Long runs = jdbc.queryForObject("""
                    SELECT count(DISTINCT e.job_instance_id) FROM batch_job_execution e
                      JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                      JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id AND p.parameter_name = ?
                     WHERE i.job_name = ? AND p.parameter_value = ?""", Long.class, BUSINESS_DATE, NightlyJobConfiguration.JOB,
                    businessDate.toString());
            JobParameters parameters = new JobParametersBuilder()
                    .addLocalDate(BUSINESS_DATE, businessDate, true)
                    .addLong(RUN, runs + 1, true)
                    .toJobParameters();
            return operator.start(nightly, parameters).getId();
        } catch (NightAlreadyRunningException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the night of " + businessDate + ": " + e.getMessage(), e);
        }
    }

    /** Starts the night of a date and waits for it to end; returns how it ended. */
    public JobExecution runAndWait(LocalDate businessDate, Duration timeout) {
        long id = start(businessDate);
        long deadline = System.nanoTime() + timeout.toNanos();
        JobExecution execution = repository.getJobExecution(id);
        while (execution.isRunning() || execution.getStatus() == BatchStatus.STARTING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The night of " + businessDate + " did not end within " + timeout);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while the night of " + businessDate + " ran", e);
            }
            execution = repository.getJobExecution(id);
        }
        return execution;
    }

    public static class NightAlreadyRunningException extends RuntimeException {
        NightAlreadyRunningException(LocalDate date, long executionId) {
            super("The night of " + date + " is already running (execution " + executionId + ")");
        }
    }
}
