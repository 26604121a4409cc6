package ru.svoykrug.hub.nightly;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.job.flow.support.SimpleFlow;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
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
 * which read it) share no table: they run side by side, each on its own connection, so that the single
 * process most of their statements run in (an insert's plan gets no parallel workers) does not leave the
 * other core idle. The warehouse exports both, after both.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NightlyProperties.class, LoyaltyRules.class, ChurnSettings.class})
class NightlyJobConfiguration {

    static final String JOB = "nightly";

    /** The steps in the order the job names them (and ops read them), whichever of two side by side starts first */
    static final List<String> STEPS = List.of("customers", "purchases", "reconcile", "points", "activity", "rfm",
            "churn", "warehouse");

    @Bean
    Job nightly(JobRepository jobs, NightSteps steps, PurchasesReconciliation reconciliation, PointsPosting points,
                ChurnScoring churn, NightExport warehouse) {
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
        Flow ledgerAndAnalytics = new FlowBuilder<SimpleFlow>("ledger-and-analytics")
                .split(new SimpleAsyncTaskExecutor("nightly-branch-"))
                .add(ledger, analytics)
                .build();
        return new JobBuilder(JOB, jobs)
                .start(staged)
                .next(ledgerAndAnalytics)
                .next(steps.plain("warehouse", date -> {
                    NightExport.Exported exported = warehouse.export(date);
                    return new StepCounts(exported.purchasesChanged(), exported.rowsExported());
                }))
                .end()
                .build();
    }
}
