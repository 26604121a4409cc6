package ru.svoykrug.hub.nightly;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The points ledger and the analytics run side by side: analytics ends while the points step is still in
 * its transaction, and the warehouse waits for both. A night is as right as one whose steps ran in turn.
 */
class NightBranchesTest extends NightScenario {

    private static final LocalDate DAY = LocalDate.of(2026, 9, 14);

    @Autowired
    NightlyFaults faults;
    @Autowired
    JobRepository repository;

    @Test
    void analyticsEndWhileThePointsStepStillRunsAndTheWarehouseWaitsForBoth() {
        StagingFixture shop = partner("branches");
        shop.customer("b1", "+79165553101");
        shop.sale("b1", DAY.minusDays(2), 2_000);

        CountDownLatch release = faults.holdIn("points");
        long id;
        try {
            id = runs.start(DAY);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(id, "churn") == BatchStatus.COMPLETED);
            assertThat(status(id, "points")).as("points, held at its end").isEqualTo(BatchStatus.STARTED);
            assertThat(status(id, "activity")).isEqualTo(BatchStatus.COMPLETED);
            assertThat(status(id, "rfm")).isEqualTo(BatchStatus.COMPLETED);
            assertThat(status(id, "warehouse")).as("the warehouse waits for the points").isNull();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM core.rfm WHERE customer_id = ?", Long.class,
                    shop.customerId("b1"))).as("the analytics committed").isPositive();
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> repository.getJobExecution(id).getEndTime() != null);
        JobExecution night = repository.getJobExecution(id);
        assertThat(night.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(status(id, "warehouse")).isEqualTo(BatchStatus.COMPLETED);
        assertThat(shop.balance("b1").pending()).as("the sale's points").isPositive();
    }

    /** As ops read it: what the job repository has committed for the step */
    private BatchStatus status(long night, String step) {
        return jdbc.queryForList("SELECT status FROM batch_step_execution WHERE job_execution_id = ? AND step_name = ?",
                String.class, night, step).stream().map(BatchStatus::valueOf).findFirst().orElse(null);
    }
}
