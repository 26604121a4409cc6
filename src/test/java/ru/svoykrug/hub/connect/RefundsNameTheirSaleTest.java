package ru.svoykrug.hub.connect;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import ru.svoykrug.hub.nightly.NightCalendar;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.simulate.onec.OnecDataSet;
import ru.svoykrug.hub.simulate.onec.OnecSimulator;
import ru.svoykrug.hub.simulate.renovatio.RenovatioDataSet;
import ru.svoykrug.hub.simulate.renovatio.RenovatioSimulator;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refund, whatever system and stream it comes from, lands in staging as a negative payment naming the
 * sale it returns, and the night then lowers that purchase's refunded amount.
 */
class RefundsNameTheirSaleTest extends SyncScenario {

    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    @Autowired
    NightlyRuns runs;
    @Autowired
    NightCalendar calendar;

    private void syncSucceeds(String connectionId) {
        SyncRun run = sync(connectionId);
        assertThat(run.status()).as("%s: %s", connectionId, run.errorMessage()).isEqualTo(SyncRunStatus.SUCCEEDED);
    }

    private void night() {
        assertThat(runs.runAndWait(calendar.yesterday(), Duration.ofMinutes(5)).getStatus().name()).isEqualTo("COMPLETED");
    }

    private long refunded(String connectionId, String saleId) {
        return jdbc.queryForObject("SELECT refunded_kopecks FROM core.purchase WHERE connection_id = ? AND source_id = ?",
                Long.class, connectionId, saleId);
    }

    private Map<String, Object> refund(String connectionId, String paymentId) {
        return jdbc.queryForMap("SELECT sale_source_id, amount_kopecks, deleted FROM staging.payment "
                + "WHERE connection_id = ? AND source_id = ?", connectionId, paymentId);
    }

    @Test
    void aOneCReturnNamesItsSaleAndTheNightRefundsThatPurchase() {
        OnecDataSet data = new OnecDataSet(31, 400, 0, MOSCOW, Instant.now());
        OnecSimulator sim = started(OnecSimulator.start(data));
        connect(connection("refund-onec", sim).partner("Skinerica").settings("pageSize", "100", "requestsPerSecond", "0"));
        syncSucceeds("refund-onec");
        int sale = data.postedSalesSince(data.until().minusDays(20), 20).stream()
                .filter(id -> data.receipt(id).cardId() != 0).findFirst().orElseThrow();
        String saleRef = data.receiptRef(sale);
        night();
        assertThat(refunded("refund-onec", saleRef)).isZero();

        int returned = data.addReturn(sale, data.until().minusMinutes(1), 10_000);
        syncSucceeds("refund-onec");

        assertThat(refund("refund-onec", data.receiptRef(returned))).containsEntry("sale_source_id", saleRef)
                .containsEntry("amount_kopecks", -10_000L).containsEntry("deleted", false);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'refund-onec' AND source_id = ?",
                Integer.class, data.receiptRef(returned))).as("a return is no sale row").isZero();
        night();
        assertThat(refunded("refund-onec", saleRef)).isEqualTo(10_000);
    }

    @Test
    void aYclientsGoodsRefundNamesTheCounterSaleAndTheNightRefundsThatPurchase() {
        YclientsDataSet data = new YclientsDataSet(32, 400, 0, MOSCOW);
        YclientsSimulator sim = started(YclientsSimulator.start(data, 4901));
        connect(TestConnections.yclients("refund-yclients", sim, 100));
        int counterSale = data.sellGoods(7, 250_000, Instant.now());
        syncSucceeds("refund-yclients");

        String saleId = data.goodsSaleId(counterSale);
        assertThat(jdbc.queryForMap("SELECT kind, status, amount_kopecks, customer_source_id FROM staging.sale "
                + "WHERE connection_id = 'refund-yclients' AND source_id = ?", saleId))
                .containsEntry("kind", "SALE").containsEntry("status", "COMPLETED").containsEntry("amount_kopecks", 250_000L)
                .containsEntry("customer_source_id", "7");
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM staging.payment p WHERE p.connection_id = 'refund-yclients' AND p.amount_kopecks < 0
                   AND p.sale_source_id LIKE 'document-%' AND NOT EXISTS (SELECT 1 FROM staging.sale s
                       WHERE s.connection_id = p.connection_id AND s.source_id = p.sale_source_id AND s.status = 'COMPLETED')
                """, Integer.class)).as("the simulator's own goods refunds each name a staged counter sale").isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.payment WHERE connection_id = 'refund-yclients' "
                + "AND amount_kopecks < 0 AND sale_source_id LIKE 'document-%'", Integer.class)).isPositive();
        night();
        assertThat(refunded("refund-yclients", saleId)).isZero();

        int refund = data.refundGoods(counterSale, 100_000, Instant.now());
        syncSucceeds("refund-yclients");

        assertThat(refund("refund-yclients", Integer.toString(refund))).containsEntry("sale_source_id", saleId)
                .containsEntry("amount_kopecks", -100_000L);
        assertThat(jdbc.queryForObject("SELECT amount_kopecks FROM staging.sale WHERE connection_id = 'refund-yclients' "
                + "AND source_id = ?", Long.class, saleId)).as("a refund does not lower the sale itself").isEqualTo(250_000L);
        night();
        assertThat(refunded("refund-yclients", saleId)).isEqualTo(100_000);
    }

    @Test
    void aRenovatioRefundNamingOnlyItsInvoiceNamesTheVisitAndTheNightRefundsThatPurchase() {
        RenovatioDataSet data = new RenovatioDataSet(33, 600, 0, MOSCOW, Instant.now());
        RenovatioSimulator sim = started(RenovatioSimulator.start(data));
        connect(connection("refund-renovatio", sim).partner("Millenium").settings("windowDays", "30", "requestsPerSecond", "0"));
        LocalDateTime now = LocalDateTime.now(MOSCOW).withSecond(0).withNano(0);
        int visit = data.addCompletedWithInvoice(3, 500_000, now.minusHours(2));
        syncSucceeds("refund-renovatio");

        // the simulator's payments that name only an invoice name its visit
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.payment WHERE connection_id = 'refund-renovatio' "
                + "AND sale_source_id IS NULL", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM staging.payment p WHERE p.connection_id = 'refund-renovatio' AND NOT EXISTS (
                       SELECT 1 FROM staging.sale s WHERE s.connection_id = p.connection_id AND s.source_id = p.sale_source_id)
                """, Integer.class)).as("every payment names a staged sale").isZero();
        night();
        assertThat(refunded("refund-renovatio", Integer.toString(visit))).isZero();

        // a new visit, its invoice and a refund naming only the invoice, all read in one run (streams side by side)
        int second = data.addCompletedWithInvoice(3, 300_000, LocalDateTime.now(MOSCOW).withSecond(0).withNano(0));
        int refundOfFirst = data.refundThroughInvoice(visit, 200_000, now.minusMinutes(30));
        int refundOfSecond = data.refundThroughInvoice(second, 300_000, now.minusMinutes(20));
        syncSucceeds("refund-renovatio");

        assertThat(refund("refund-renovatio", Integer.toString(refundOfFirst)))
                .containsEntry("sale_source_id", Integer.toString(visit)).containsEntry("amount_kopecks", -200_000L);
        assertThat(refund("refund-renovatio", Integer.toString(refundOfSecond)))
                .containsEntry("sale_source_id", Integer.toString(second)).containsEntry("amount_kopecks", -300_000L);
        night();
        assertThat(refunded("refund-renovatio", Integer.toString(visit))).isEqualTo(200_000);
        assertThat(refunded("refund-renovatio", Integer.toString(second))).isEqualTo(300_000);
    }
}
