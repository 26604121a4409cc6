package ru.svoykrug.hub.nightly;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every refund and every counter sale in the staging shape the connectors share (a refund is a negative
 * payment naming its sale, deleted when the vendor cancelled it; a counter sale is a sale of kind SALE)
 * reaches core and the ledger, and the night's reconciliation holds staging and core to the kopeck per
 * connection and day, failing the step when they differ.
 */
class ReconciliationNightTest extends NightScenario {

    @Test
    void everyRefundAndCounterSaleCountsAndStagingEqualsCoreEveryNight() {
        LocalDate night = LocalDate.of(2026, 8, 5);
        StagingFixture shop = partner("rec-shop");
        shop.customer("k1", "+79165553301");
        shop.customer("k2", null);
        String refunded = shop.sale("k1", night.minusDays(10), 10_000);   // 500 points
        shop.refund(refunded, night.minusDays(9), 2_500);                  // a return receipt naming it: a quarter back
        shop.payment(refunded, night.minusDays(10), 10_000);               // money in: changes nothing
        String counter = shop.sale("k1", night.minusDays(10), 3_000);     // goods over the counter, no visit: 150 points
        shop.refund(counter, night.minusDays(8), 1_000);
        shop.refund(counter, night.minusDays(7), 2_500);                   // more than was paid: capped at the sale
        String cancelledRefund = shop.sale("k2", night.minusDays(5), 4_000); // 200 points
        String cancelled = shop.refund(cancelledRefund, night.minusDays(4), 4_000);
        shop.deletePayment(cancelled);                                     // the vendor cancelled the refund
        shop.anonymousSale(night.minusDays(5), 700);                       // nobody's: in neither side

        JobExecution first = night(night);

        assertThat(refunded("rec-shop", refunded)).isEqualTo(250_000);
        assertThat(refunded("rec-shop", counter)).isEqualTo(300_000);
        assertThat(refunded("rec-shop", cancelledRefund)).isZero();
        assertThat(shop.ledgerSum(refunded, "EARN")).isEqualTo(500);
        assertThat(shop.ledgerSum(refunded, "REVERSE")).isEqualTo(-125);
        assertThat(shop.ledgerSum(counter, "EARN")).isEqualTo(150);
        assertThat(shop.ledgerSum(counter, "REVERSE")).isEqualTo(-150);
        assertThat(shop.ledgerSum(cancelledRefund, "REVERSE")).isZero();
        assertThat(step(first, "reconcile").getReadCount()).as("connection-days compared").isGreaterThanOrEqualTo(2);
        assertStagingEqualsCore("rec-shop");

        // next night: one more refund of the first sale; only its day is compared again
        shop.refund(refunded, night.plusDays(1), 1_000);
        JobExecution next = night(night.plusDays(1));
        assertThat(refunded("rec-shop", refunded)).isEqualTo(350_000);
        assertThat(shop.ledgerSum(refunded, "REVERSE")).isEqualTo(-175);
        assertThat(step(next, "reconcile").getReadCount()).as("only the day that changed").isEqualTo(1);
        assertStagingEqualsCore("rec-shop");
    }

    @Test
    void aDifferenceFailsTheStepNamingTheConnectionAndTheDifference() {
        LocalDate night = LocalDate.of(2026, 8, 12);
        StagingFixture shop = partner("rec-broken");
        shop.customer("b1", "+79165553401");
        String sale = shop.sale("b1", night.minusDays(3), 5_000);
        night(night);

        // core loses part of a sale behind the night's back (as a lost refund or a dropped sale would)
        jdbc.update("UPDATE core.purchase SET amount_kopecks = amount_kopecks - 12345 WHERE connection_id = 'rec-broken' AND source_id = ?", sale);
        shop.sale("b1", night.minusDays(3), 800); // the day changes in staging, so tonight compares it
        JobExecution failed = runs.runAndWait(night.plusDays(1), Duration.ofMinutes(5));

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        StepExecution reconcile = step(failed, "reconcile");
        assertThat(reconcile.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(reconcile.getExitStatus().getExitDescription()).contains("rec-broken").contains("-12345")
                .contains(night.minusDays(3).toString());
        assertThat(failed.getStepExecutions()).extracting(StepExecution::getStepName).doesNotContain("points");

        jdbc.update("UPDATE core.purchase SET amount_kopecks = amount_kopecks + 12345 WHERE connection_id = 'rec-broken' AND source_id = ?", sale);
        night(night.plusDays(1)); // restarted from the reconciliation, which now holds
        assertStagingEqualsCore("rec-broken");
    }

    private long refunded(String connection, String sale) {
        return jdbc.queryForObject("SELECT refunded_kopecks FROM core.purchase WHERE connection_id = ? AND source_id = ?", Long.class,
                connection, sale);
    }

    private static StepExecution step(JobExecution night, String name) {
        return night.getStepExecutions().stream().filter(s -> s.getStepName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + name));
    }

    /** Per day, written out here: completed sales with a customer, less their live refunds capped at the sale; core likewise. */
    private void assertStagingEqualsCore(String connection) {
        List<Map<String, Object>> staged = jdbc.queryForList("""
                SELECT (s.occurred_at AT TIME ZONE s.zone)::date AS day,
                       sum(s.amount_kopecks - least(s.amount_kopecks, coalesce((SELECT -sum(p.amount_kopecks) FROM staging.payment p
                             WHERE p.connection_id = s.connection_id AND p.sale_source_id = s.source_id
                               AND p.amount_kopecks < 0 AND NOT p.deleted), 0)))::bigint AS kopecks
                  FROM staging.sale s
                 WHERE s.connection_id = ? AND s.status = 'COMPLETED' AND (s.customer_source_id IS NOT NULL OR s.phone_key IS NOT NULL)
                 GROUP BY 1 ORDER BY 1""", connection);
        List<Map<String, Object>> core = jdbc.queryForList("""
                SELECT purchase_day AS day, sum(amount_kopecks - refunded_kopecks)::bigint AS kopecks
                  FROM core.purchase WHERE connection_id = ? AND completed GROUP BY 1 ORDER BY 1""", connection);
        assertThat(staged).isNotEmpty();
        assertThat(core).isEqualTo(staged);
    }
}
