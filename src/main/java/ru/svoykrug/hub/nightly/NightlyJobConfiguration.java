package ru.svoykrug.hub.nightly;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import ru.svoykrug.hub.analytics.churn.ChurnScoring;
import ru.svoykrug.hub.analytics.churn.ChurnSettings;
import ru.svoykrug.hub.loyalty.LoyaltyRules;
import ru.svoykrug.hub.loyalty.PointsPosting;
import ru.svoykrug.hub.warehouse.NightExport;

/**
 * The night, as its list of steps; each runs in the night's envelope ({@link NightSteps}: one transaction,
 * the business date, the session, counts, the done event). A night that dies restarts from the failed step
 * (Spring Batch skips the completed ones), and each step only adds what is missing or replaces what it owns
 * for the business date, so a night run twice leaves core as one run did. The scripts are in jobs/sql/.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NightlyProperties.class, LoyaltyRules.class, ChurnSettings.class})
class NightlyJobConfiguration {

    static final String JOB = "nightly";

    @Bean
    Job nightly(JobRepository jobs, NightSteps steps, PurchasesReconciliation reconciliation, PointsPosting points,
                ChurnScoring churn, NightExport warehouse) {
        return new JobBuilder(JOB, jobs)
                .start(steps.sqlFromMarks("customers", "01-customers.sql"))
                .next(steps.sqlFromMarks("purchases", "02-purchases.sql"))
                .next(steps.plain("reconcile", reconciliation::check))
                .next(steps.sql("points", PointsPosting.SCRIPT, points::prepare))
                .next(steps.sqlFromMarks("activity", "04-activity.sql"))
                .next(steps.sqlFromMarks("rfm", "05-rfm.sql"))
                .next(steps.plain("churn", date -> {
                    ChurnScoring.Scored scored = churn.score(date);
                    return new StepCounts(scored.customers(), scored.scores());
                }))
                .next(steps.plain("warehouse", date -> {
                    NightExport.Exported exported = warehouse.export(date);
                    return new StepCounts(exported.purchasesChanged(), exported.rowsExported());
                }))
                .build();
    }
}
