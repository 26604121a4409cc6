package ru.svoykrug.hub.nightly;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import ru.svoykrug.hub.analytics.churn.ChurnTasklet;
import ru.svoykrug.hub.loyalty.LoyaltyRules;
import ru.svoykrug.hub.loyalty.PointsTasklet;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * The night, as a list of steps. Each step is one transaction: it commits whole or not at all, so a
 * night that dies restarts from the failed step (Spring Batch skips the completed ones). Each step
 * only adds what is missing or replaces what it owns for the business date, so a night run twice
 * leaves core as one run did.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LoyaltyRules.class)
class NightlyJobConfiguration {

    static final String JOB = "nightly";

    @Bean
    Job nightly(JobRepository jobs, Step customers, Step purchases, Step reconcile, Step points, Step activity, Step rfm, Step churn) {
        return new JobBuilder(JOB, jobs)
                .start(customers)
                .next(purchases)
                .next(reconcile)
                .next(points)
                .next(activity)
                .next(rfm)
                .next(churn)
                .build();
    }

    @Bean
    Step customers(JobRepository jobs, PlatformTransactionManager tx, NamedParameterJdbcTemplate jdbc, ApplicationEventPublisher events,
                   NightSession session) {
        return sqlStep("customers", "01-customers.sql", jobs, tx, jdbc, events, session);
    }

    @Bean
    Step purchases(JobRepository jobs, PlatformTransactionManager tx, NamedParameterJdbcTemplate jdbc, ApplicationEventPublisher events,
                   NightSession session) {
        return sqlStep("purchases", "02-purchases.sql", jobs, tx, jdbc, events, session);
    }

    @Bean
    Step reconcile(JobRepository jobs, PlatformTransactionManager tx, PurchasesReconciliation tasklet) {
        return new StepBuilder("reconcile", jobs).tasklet(tasklet, tx).build();
    }

    @Bean
    Step points(JobRepository jobs, PlatformTransactionManager tx, PointsTasklet tasklet) {
        return new StepBuilder("points", jobs).tasklet(tasklet, tx).build();
    }

    @Bean
    Step activity(JobRepository jobs, PlatformTransactionManager tx, NamedParameterJdbcTemplate jdbc, ApplicationEventPublisher events,
                  NightSession session) {
        return sqlStep("activity", "04-activity.sql", jobs, tx, jdbc, events, session);
    }

    @Bean
    Step rfm(JobRepository jobs, PlatformTransactionManager tx, NamedParameterJdbcTemplate jdbc, ApplicationEventPublisher events,
             NightSession session) {
        return sqlStep("rfm", "05-rfm.sql", jobs, tx, jdbc, events, session);
    }

    @Bean
    Step churn(JobRepository jobs, PlatformTransactionManager tx, ChurnTasklet tasklet) {
        return new StepBuilder("churn", jobs).tasklet(tasklet, tx).build();
    }

    private static Step sqlStep(String name, String file, JobRepository jobs, PlatformTransactionManager tx,
                                NamedParameterJdbcTemplate jdbc, ApplicationEventPublisher events, NightSession session) {
        NightlySql script = NightlySql.load(file);
        Tasklet tasklet = (contribution, context) -> {
            LocalDate date = businessDate(context);
            session.begin(jdbc.getJdbcOperations());
            Map<String, Object> parameters = new HashMap<>(NightMarks.of(jdbc.getJdbcOperations(), name));
            parameters.put("business_date", date);
            long changed = script.run(jdbc, parameters);
            contribution.incrementWriteCount(changed);
            events.publishEvent(new NightlyStepDone(name, date));
            return RepeatStatus.FINISHED;
        };
        return new StepBuilder(name, jobs).tasklet(tasklet, tx).build();
    }

    static LocalDate businessDate(org.springframework.batch.core.scope.context.ChunkContext context) {
        return context.getStepContext().getStepExecution().getJobParameters().getLocalDate(NightlyRuns.BUSINESS_DATE);
    }
}
