package ru.svoykrug.hub.nightly;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A night that dies in any step restarts from that step and ends with the core an unbroken night gives. */
class NightlyRestartTest extends NightScenario {

    private static final LocalDate NIGHT = LocalDate.of(2026, 6, 30);
    private static final List<String> CORE = List.of(
            "SELECT id, phone_key, home_connection_id, merged_into, created_on FROM core.customer ORDER BY id",
            "SELECT connection_id, customer_key, customer_id, linked_on FROM core.customer_link ORDER BY 1, 2",
            "SELECT * FROM core.purchase ORDER BY connection_id, source_id",
            "SELECT id, customer_id, entry_type, pending_delta, active_delta, effective_on, business_date, connection_id, source_id, tier "
                    + "FROM core.points_ledger ORDER BY id",
            "SELECT * FROM core.points_lot ORDER BY connection_id, source_id",
            "SELECT * FROM core.customer_tier ORDER BY customer_id",
            "SELECT * FROM core.customer_activity ORDER BY scope, customer_id",
            "SELECT * FROM core.rfm ORDER BY business_date, scope, customer_id",
            "SELECT business_date, model, parameters::text, log_likelihood, customers FROM core.churn_model ORDER BY 1, 2",
            "SELECT * FROM core.churn_score ORDER BY business_date, customer_id");

    @Autowired
    NightlyFaults faults;

    @Test
    void aNightThatDiesInAnyStepRestartsAndEndsAsAnUnbrokenNight() {
        StagingFixture shop = partner("restart-shop");
        StagingFixture cafe = partner("restart-cafe");
        for (int i = 0; i < 40; i++) {
            String ref = "k" + i;
            shop.customer(ref, i % 3 == 0 ? null : "+7916777" + String.format("%04d", i));
            cafe.customer(ref, i % 4 == 0 ? null : "+7916777" + String.format("%04d", i));
            for (int d = 0; d <= i % 5; d++) {
                String sale = shop.sale(ref, NIGHT.minusDays(3 + i + 37L * d), 500 + 10L * i);
                if (i % 7 == 0 && d == 0) {
                    shop.refund(sale, NIGHT.minusDays(1), 100);
                }
            }
            cafe.sale(ref, NIGHT.minusDays(20 + i), 300);
        }

        resetCore();
        Map<String, List<Map<String, Object>>> unbroken = nightAndSnapshot();

        for (String step : stepsOfTheNight()) {
            resetCore();
            faults.crashIn(step);
            JobExecution crashed = runs.runAndWait(NIGHT, Duration.ofMinutes(5));
            assertThat(crashed.getStatus()).as("night crashing in %s", step).isEqualTo(BatchStatus.FAILED);

            JobExecution restarted = runs.runAndWait(NIGHT, Duration.ofMinutes(5));
            assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(restarted.getJobInstance().getInstanceId()).as("a restart of the same night")
                    .isEqualTo(crashed.getJobInstance().getInstanceId());
            assertThat(restarted.getStepExecutions()).extracting(s -> s.getStepName())
                    .as("completed steps are not run again").startsWith(step);
            assertThat(snapshot()).as("core after a crash in %s", step).isEqualTo(unbroken);
        }
    }

    @Test
    void aFailedNightRunsAgainWholeOnceAnotherNightHasRunSince() {
        StagingFixture shop = partner("restart-after-other");
        for (int i = 0; i < 12; i++) {
            shop.customer("a" + i, "+7916778" + String.format("%04d", i));
            shop.sale("a" + i, NIGHT.minusDays(5 + 9L * i), 400 + 10L * i);
            shop.sale("a" + i, NIGHT.minusDays(2 + i), 300);
        }
        resetCore();
        faults.crashIn("churn");
        JobExecution crashed = runs.runAndWait(NIGHT.minusDays(1), Duration.ofMinutes(5));
        assertThat(crashed.getStatus()).isEqualTo(BatchStatus.FAILED);
        night(NIGHT);
        assertThat(jdbc.queryForList("SELECT DISTINCT business_date FROM core.rfm", LocalDate.class)).containsExactly(NIGHT);

        // restarted, it would score churn alone on the activity and RFM of the night after it
        JobExecution again = runs.runAndWait(NIGHT.minusDays(1), Duration.ofMinutes(5));
        assertThat(again.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(again.getJobInstance().getInstanceId()).as("a new run of the date").isNotEqualTo(crashed.getJobInstance().getInstanceId());
        assertThat(again.getStepExecutions()).extracting(s -> s.getStepName()).contains("customers", "activity", "rfm", "churn");
        Map<String, List<Map<String, Object>>> afterFailure = describingTheDate();

        resetCore();
        night(NIGHT);
        night(NIGHT.minusDays(1));
        // (the ledger differs as it should: an entry names the night that posted it)
        assertThat(afterFailure).as("tiers, activity, RFM and churn as after the two nights unbroken, in that order")
                .isEqualTo(describingTheDate());
    }

    private Map<String, List<Map<String, Object>>> describingTheDate() {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        for (String query : CORE.subList(5, CORE.size())) {
            tables.put(query, jdbc.queryForList(query));
        }
        return tables;
    }

    private List<String> stepsOfTheNight() {
        return jdbc.queryForList("""
                SELECT s.step_name FROM batch_step_execution s
                 WHERE s.job_execution_id = (SELECT max(job_execution_id) FROM batch_step_execution)
                 ORDER BY s.step_execution_id""", String.class);
    }

    private Map<String, List<Map<String, Object>>> nightAndSnapshot() {
        assertThat(runs.runAndWait(NIGHT, Duration.ofMinutes(5)).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        return snapshot();
    }

    /** Core is derived from staging: empty it, and number its ids from 1 again, to compare nights. */
    private void resetCore() {
        jdbc.execute("TRUNCATE core.churn_score, core.churn_model, core.rfm, core.customer_tier, core.points_lot, core.points_ledger, "
                + "core.purchase, core.customer_link, core.customer, core.night_mark, core.customer_activity, core.activity_todo, core.points_todo RESTART IDENTITY");
    }

    private Map<String, List<Map<String, Object>>> snapshot() {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        for (String query : CORE) {
            tables.put(query, jdbc.queryForList(query));
        }
        return tables;
    }
}
