package ru.svoykrug.hub.nightly;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.job.flow.FlowExecutionStatus;
import org.springframework.batch.core.job.flow.JobExecutionDecider;
import org.springframework.batch.core.job.flow.support.SimpleFlow;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import ru.svoykrug.hub.analytics.churn.ChurnScoring;
import ru.svoykrug.hub.analytics.churn.ChurnSettings;
import ru.svoykrug.hub.loyalty.LoyaltyRules;
import ru.svoykrug.hub.loyalty.PointsPosting;
import ru.svoykrug.hub.warehouse.NightExport;

import java.util.List;

/**
 * The night, as its steps; each runs in the night's envelope ({@link NightSteps}: one transaction, the
 * business date, the session, counts, the done event). A night that dies restarts from the failed steps
 * (Spring Batch skips the completed ones), and each step only adds what is missing or replaces what it owns
 * for the business date, so a night run twice leaves core as one run did. The scripts are in jobs/sql/.
 * <p>
 * Once the purchases are reconciled, the points ledger and the analytics (activity, then RFM and churn,
 * which read it) share no table. On a next night they run side by side, each on its own connection: their
 * statements are small and run in one PostgreSQL process each, so one branch leaves the other core idle
 * (at 1M customers / 10M sales the next night went from 69-81 s to 43-48 s). A first night, which computes
 * everything, runs them in turn: its index builds and sorts already take both cores, and side by side the
 * points step took 221 s instead of 132-158 s while the analytics gained less. The warehouse exports
 * both, after both. Once the night has completed, the customer API's kept answers of those who asked lately are
 * computed again ({@link WarmAnswersAfterNight}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NightlyProperties.class, LoyaltyRules.class, ChurnSettings.class})
class NightlyJobConfiguration {

    static final String JOB = "nightly";

    /** The steps in the order the job names them (and ops read them), whichever of two side by side starts first */
    static final List<String> STEPS = List.of("customers", "purchases", "reconcile", "points", "activity", "rfm",
            "churn", "warehouse");

    private static final String FIRST = "FIRST";
    private static final String NEXT = "NEXT";

    @Bean
    Job nightly(JobRepository jobs, NightSteps steps, PurchasesReconciliation reconciliation, PointsPosting points,
                ChurnScoring churn, NightExport warehouse, NamedParameterJdbcTemplate jdbc, WarmAnswersAfterNight warm) {
        Flow staged = new FlowBuilder<SimpleFlow>("staged")
                .start(steps.sqlFromMarks("customers", "01-customers.sql"))
                .next(steps.sqlFromMarks("purchases", "02-purchases.sql"))
                .next(steps.plain("reconcile", reconciliation::check))
                .build();
        Flow ledger = new FlowBuilder<SimpleFlow>("ledger")
                .start(steps.sql("points", PointsPosting.SCRIPT, points::prepare))
                .build();
        Flow analytics = new FlowBuilder<SimpleFlow>("analytics")
                .start(steps.sqlFromMarks("activity", "04-activity.sql"))
                .next(steps.sqlFromMarks("rfm", "05-rfm.sql"))
                .next(steps.plain("churn", date -> {
                    ChurnScoring.Scored scored = churn.score(date);
                    return new StepCounts(scored.customers(), scored.scores());
                }))
                .build();
        Flow inTurn = new FlowBuilder<SimpleFlow>("ledger-then-analytics").start(ledger).next(analytics).build();
        Flow sideBySide = new FlowBuilder<SimpleFlow>("ledger-beside-analytics")
                .split(new SimpleAsyncTaskExecutor("nightly-branch-"))
                .add(ledger, analytics)
                .build();
        Step export = steps.plain("warehouse", date -> {
            NightExport.Exported exported = warehouse.export(date);
            return new StepCounts(exported.purchasesChanged(), exported.rowsExported());
        });
        JobExecutionDecider firstOrNext = (job, last) ->
                new FlowExecutionStatus(NightMarks.hasRun(jdbc.getJdbcOperations(), "points") ? NEXT : FIRST);
        return new JobBuilder(JOB, jobs)
                .listener(warm)
                .start(staged)
                .next(firstOrNext).on(FIRST).to(inTurn).next(export)
                .from(firstOrNext).on(NEXT).to(sideBySide).next(export)
                .end()
                .build();
    }
}
