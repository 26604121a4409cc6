package ru.svoykrug.hub.nightly;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The envelope every step of the night runs in, so that a feature offers only its work (a method of the
 * business date, or a script of jobs/sql/ and its parameters). A step is one transaction, which commits
 * whole or not at all: a night that dies restarts from the failed step. In it the envelope reads the
 * business date from the night's parameters, sets the night's session settings ({@link NightSession}),
 * runs the work, keeps its read and write counts, outdates the customer API's kept answers (V36), and as its
 * last act publishes {@link NightlyStepDone}.
 */
@Component
class NightSteps {

    private final JobRepository jobs;
    private final PlatformTransactionManager tx;
    private final NamedParameterJdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final NightSession session;
    /** Spring Batch's step metrics ({@code spring.batch.step}): steps are not beans, so Boot does not give them this */
    private final ObservationRegistry observations;

    NightSteps(JobRepository jobs, PlatformTransactionManager tx, NamedParameterJdbcTemplate jdbc,
               ApplicationEventPublisher events, NightSession session, ObjectProvider<ObservationRegistry> observations) {
        this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
        this.jobs = jobs;
        this.tx = tx;
        this.jdbc = jdbc;
        this.events = events;
        this.session = session;
    }

    /** A step whose work is Java: given the business date, it works and says what it read and wrote. */
    Step plain(String name, Function<LocalDate, StepCounts> work) {
        Tasklet tasklet = (contribution, context) -> {
            LocalDate date = businessDate(context.getStepContext().getStepExecution().getJobParameters());
            session.begin(jdbc.getJdbcOperations());
            StepCounts counts = work.apply(date);
            contribution.getStepExecution().setReadCount(counts.read());
            contribution.incrementWriteCount(counts.written());
            // what customers' kept answers show may have changed (V36): outdated with the step's commit
            jdbc.getJdbcOperations().queryForList("SELECT core.answers_outdated(?)", "night:" + name);
            events.publishEvent(new NightlyStepDone(name, date));
            return RepeatStatus.FINISHED;
        };
        return new StepBuilder(name, jobs).observationRegistry(observations).tasklet(tasklet, tx).build();
    }

    /**
     * A step whose work is a script of jobs/sql/, run with the parameters its feature gives (asked inside
     * the step's transaction) and {@code business_date}; it wrote the rows its statements changed.
     */
    Step sql(String name, String script, Supplier<Map<String, ?>> parameters) {
        NightlySql statements = NightlySql.load(script);
        return plain(name, date -> {
            Map<String, Object> all = new HashMap<>(parameters.get());
            all.put("business_date", date);
            return StepCounts.written(statements.run(jdbc, all));
        });
    }

    /** A step whose script reads staging: from its mark on, with the marks as parameters ({@link NightMarks}). */
    Step sqlFromMarks(String name, String script) {
        return sql(name, script, () -> NightMarks.of(jdbc.getJdbcOperations(), name));
    }

    static LocalDate businessDate(JobParameters parameters) {
        return parameters.getLocalDate(NightlyRuns.BUSINESS_DATE);
    }
}
