package ru.svoykrug.hub.nightly;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The points ledger and the analytics share no table. A first night (everything computed, statements on
 * both cores) runs them in turn; a next night side by side: analytics end while the points step is still in
 * its transaction, and the warehouse waits for both.
 */
class NightBranchesTest extends NightScenario {

    private static final LocalDate DAY = LocalDate.of(2026, 9, 14);

    @Autowired
    NightlyFaults faults;
    @Autowired
    JobRepository repository;

    @Test
    void aFirstNightRunsPointsThenAnalyticsANextNightSideBySide() {
        CoreSnapshot.emptyCore(jdbc);
        StagingFixture shop = partner("branches");
        shop.customer("b1", "+79165553101");
        shop.sale("b1", DAY.minusDays(3), 2_000);

        long first = night(DAY.minusDays(1)).getId();
        assertThat(started(first, "activity")).as("a first night's analytics start after the points step ended")
                .isAfterOrEqualTo(ended(first, "points"));

        shop.sale("b1", DAY.minusDays(1), 3_000);
        CountDownLatch release = faults.holdIn("points");
        long next;
        try {
            next = runs.start(DAY);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(next, "churn") == BatchStatus.COMPLETED);
            assertThat(status(next, "points")).as("points, held at its end").isEqualTo(BatchStatus.STARTED);
            assertThat(status(next, "activity")).isEqualTo(BatchStatus.COMPLETED);
            assertThat(status(next, "rfm")).isEqualTo(BatchStatus.COMPLETED);
            assertThat(status(next, "warehouse")).as("the warehouse waits for the points").isNull();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM core.rfm WHERE customer_id = ? AND business_date = ?",
                    Long.class, shop.customerId("b1"), DAY)).as("the analytics committed").isPositive();
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> repository.getJobExecution(next).getEndTime() != null);
        JobExecution night = repository.getJobExecution(next);
        assertThat(night.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(status(next, "warehouse")).isEqualTo(BatchStatus.COMPLETED);
        assertThat(shop.balance("b1").pending()).as("both sales' points").isEqualTo(250);
    }

    @Test
    void aNextNightThatFailsInOneBranchRestartsOnlyThatBranchAndTheWarehouse() {
        StagingFixture shop = partner("branches-crash");
        shop.customer("k1", "+79165553102");
        shop.sale("k1", DAY.plusDays(2), 1_000);
        night(DAY.plusDays(3));

        shop.sale("k1", DAY.plusDays(4), 1_000);
        faults.crashIn("rfm");
        JobExecution crashed = runs.runAndWait(DAY.plusDays(5), Duration.ofMinutes(2));
        assertThat(crashed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(status(crashed.getId(), "points")).as("the other branch ends its work").isEqualTo(BatchStatus.COMPLETED);
        assertThat(status(crashed.getId(), "churn")).as("the failed branch stops").isNull();
        assertThat(status(crashed.getId(), "warehouse")).isNull();

        JobExecution restarted = runs.runAndWait(DAY.plusDays(5), Duration.ofMinutes(2));
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getStepExecutions()).extracting(s -> s.getStepName())
                .containsExactlyInAnyOrder("rfm", "churn", "warehouse");
        assertThat(shop.balance("k1").pending()).as("each sale's points once").isEqualTo(100);
    }

    /** As ops read it: what the job repository has committed for the step */
    private BatchStatus status(long night, String step) {
        return jdbc.queryForList("SELECT status FROM batch_step_execution WHERE job_execution_id = ? AND step_name = ?",
                String.class, night, step).stream().map(BatchStatus::valueOf).findFirst().orElse(null);
    }

    private Timestamp started(long night, String step) {
        return jdbc.queryForObject("SELECT start_time FROM batch_step_execution WHERE job_execution_id = ? AND step_name = ?",
                Timestamp.class, night, step);
    }

    private Timestamp ended(long night, String step) {
        return jdbc.queryForObject("SELECT end_time FROM batch_step_execution WHERE job_execution_id = ? AND step_name = ?",
                Timestamp.class, night, step);
    }
}
