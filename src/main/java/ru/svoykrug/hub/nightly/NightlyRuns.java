package ru.svoykrug.hub.nightly;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * failed is restarted from the failed step (unless another night has run since: then it runs again whole);
 * a date already done runs again as a new run (which, the steps being idempotent, leaves core as it was). One night runs at a time, whatever its date, across
 * every hub node on the database ({@link NightLock}); a date must lie between the programme's start and
 * yesterday ({@link NightCalendar}).
 */
@Service
public class NightlyRuns {

    public static final String BUSINESS_DATE = "businessDate";
    static final String RUN = "run";
    private static final Duration CLAIM_PATIENCE = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(NightlyRuns.class);

    private final JobOperator operator;
    private final JobRepository repository;
    private final Job nightly;
    private final JdbcTemplate jdbc;
    private final NightCalendar calendar;
    private final NightLock lock;

    NightlyRuns(JobOperator operator, JobRepository repository, Job nightly, JdbcTemplate jdbc, NightCalendar calendar,
                NightLock lock) {
        this.calendar = calendar;
        this.lock = lock;
        this.operator = operator;
        this.repository = repository;
        this.nightly = nightly;
        this.jdbc = jdbc;
    }

    /**
     * Starts (or restarts) the night of a date; it runs on the batch executor. Returns its execution id.
     *
     * @throws NightCalendar.NightOutOfRangeException  for a date before the programme's start or after yesterday
     * @throws NightAlreadyRunningException            while a night (of any date) runs on any hub node
     */
    public long start(LocalDate businessDate) {
        calendar.requireAllowed(businessDate);
        claim();
        try {
            abandonNightsOfDeadNodes();
            List<Long> last = jdbc.queryForList("""
                    SELECT e.job_execution_id FROM batch_job_execution e
                      JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                      JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id AND p.parameter_name = ?
                     WHERE i.job_name = ? AND p.parameter_value = ?
                     ORDER BY e.job_execution_id DESC LIMIT 1""", Long.class, BUSINESS_DATE, NightlyJobConfiguration.JOB,
                    businessDate.toString());
            if (!last.isEmpty()) {
                JobExecution previous = repository.getJobExecution(last.get(0));
                if ((previous.getStatus() == BatchStatus.FAILED || previous.getStatus() == BatchStatus.STOPPED)
                        && !anotherNightRanSince(previous)) {
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
            // from here the night's thread owns the lock and releases it when it ends (NightlyBatchExecutor)
            return operator.start(nightly, parameters).getId();
        } catch (Exception e) {
            lock.release();
            throw new IllegalStateException("Cannot start the night of " + businessDate + ": " + e.getMessage(), e);
        }
    }

    /**
     * A restart runs the failed steps on core as the failed night left it; once another night has run since,
     * core is that night's (its activity, RFM and churn scores replaced), and the steps the failed night
     * completed would be skipped over it: the date then runs again whole, as a new run.
     */
    private boolean anotherNightRanSince(JobExecution failed) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM batch_job_execution e
                                 JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                                WHERE i.job_name = ? AND e.job_instance_id <> ? AND e.job_execution_id > ?)""",
                Boolean.class, NightlyJobConfiguration.JOB, failed.getJobInstance().getInstanceId(), failed.getId()));
    }

    /**
     * Takes the night's lock, or fails with the running night's id. The holder may be between taking the
     * lock and storing its execution: wait a moment for one or the other.
     */
    private void claim() {
        long deadline = System.nanoTime() + CLAIM_PATIENCE.toNanos();
        while (!lock.tryClaim()) {
            List<Long> running = nightsMarkedRunning();
            if (!running.isEmpty()) {
                throw new NightAlreadyRunningException(running.get(0));
            }
            if (System.nanoTime() > deadline) {
                throw new NightAlreadyRunningException(null);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NightAlreadyRunningException(null);
            }
        }
    }

    /**
     * With the lock held, a night still marked running was left by a hub node that died (its session,
     * and the lock with it, is gone): mark it failed, so that starting its date again restarts it.
     */
    private void abandonNightsOfDeadNodes() {
        for (long id : nightsMarkedRunning()) {
            log.warn("Night execution {} was left running by a hub node that stopped: marked FAILED", id);
            jdbc.update("""
                    UPDATE batch_step_execution SET status = 'FAILED', exit_code = 'FAILED', end_time = now(),
                           exit_message = 'Abandoned: the hub node running it stopped', version = version + 1
                     WHERE job_execution_id = ? AND status IN ('STARTING', 'STARTED', 'STOPPING')""", id);
            jdbc.update("""
                    UPDATE batch_job_execution SET status = 'FAILED', exit_code = 'FAILED', end_time = now(),
                           exit_message = 'Abandoned: the hub node running it stopped', version = version + 1
                     WHERE job_execution_id = ?""", id);
        }
    }

    /** Nights the job repository says are running, newest first. */
    private List<Long> nightsMarkedRunning() {
        return jdbc.queryForList("""
                SELECT e.job_execution_id FROM batch_job_execution e
                  JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                 WHERE i.job_name = ? AND e.status IN ('STARTING', 'STARTED', 'STOPPING')
                 ORDER BY e.job_execution_id DESC""", Long.class, NightlyJobConfiguration.JOB);
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

    /** Another night is running (on this node or another); its execution id when it is known yet. */
    public static class NightAlreadyRunningException extends RuntimeException {

        private final Long runningExecutionId;

        NightAlreadyRunningException(Long runningExecutionId) {
            super(runningExecutionId == null ? "A night is starting on another hub node; try again when it has ended"
                    : "A night is already running (execution " + runningExecutionId + "); one night runs at a time");
            this.runningExecutionId = runningExecutionId;
        }

        public Long runningExecutionId() {
            return runningExecutionId;
        }
    }
}
