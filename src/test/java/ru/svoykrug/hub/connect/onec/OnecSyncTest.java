package ru.svoykrug.hub.connect.onec;

import ru.svoykrug.hub.privacy.StoredPersonalData;
import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.connect.SyncScenario;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.simulate.onec.OnecDataSet;
import ru.svoykrug.hub.simulate.onec.OnecSimulator;
import ru.svoykrug.hub.simulate.onec.OnecTruth;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The 1C OData connector against the simulator: real HTTP, real PostgreSQL, the real route template. */
class OnecSyncTest extends SyncScenario {

    private OnecSimulator simulator(long seed, int receipts, int malformedEvery) {
        return started(OnecSimulator.start(new OnecDataSet(seed, receipts, malformedEvery, ZoneId.of("Europe/Moscow"),
                Instant.now())));
    }

    private void connect(String id, OnecSimulator sim, String password) {
        connect(connection(id, sim).partner("Skinerica").settings("pageSize", "200", "rollingDays", "7", "requestsPerSecond", "0")
                .credential("password", password));
    }

    /** What staging holds as 1C's receipts ({@link Staged#receipts}). */
    private Staged receipts(String connectionId) {
        return Staged.receipts(jdbc, connectionId);
    }

    @Test
    void fullThenIncrementalSyncEndWithExactlyWhatTheInfobaseHas() {
        OnecSimulator sim = simulator(11, 1500, 0);
        connect("onec-incr", sim, OnecSimulator.PASSWORD);

        SyncRun full = sync("onec-incr");

        OnecTruth truth = sim.data().truth();
        assertThat(full.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(receipts("onec-incr")).isEqualTo(Staged.of(truth));
        assertThat(truth.completedRefunds()).isPositive();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'onec-incr' AND status = 'VOID'",
                Integer.class)).as("un-posted and deleted receipts are kept as void").isPositive();
        // cards are read before receipts, so every receipt with a card names its owner, even on the first sync
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM (SELECT customer_source_id FROM staging.sale WHERE connection_id = 'onec-incr'
                                      UNION ALL SELECT customer_source_id FROM staging.payment WHERE connection_id = 'onec-incr') r
                 WHERE customer_source_id IS NULL""", Integer.class)).isEqualTo(truth.receiptsWithoutCard());
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM (SELECT connection_id, customer_source_id FROM staging.sale
                                      UNION ALL SELECT connection_id, customer_source_id FROM staging.payment) s
                  JOIN staging.customer c ON c.connection_id = s.connection_id AND c.source_id = s.customer_source_id
                 WHERE s.connection_id = 'onec-incr'""", Integer.class)).isEqualTo(truth.receiptRows() - truth.receiptsWithoutCard());
        // every return names the sale it returns, and that sale is staged
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM staging.payment p
                 WHERE p.connection_id = 'onec-incr' AND (p.amount_kopecks >= 0 OR NOT EXISTS (
                       SELECT 1 FROM staging.sale s WHERE s.connection_id = p.connection_id AND s.source_id = p.sale_source_id))
                """, Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'onec-incr' AND kind = 'REFUND'",
                Integer.class)).as("a return is no sale row").isZero();
        // Cyrillic entity names went over the wire percent-encoded
        assertThat(sim.rawPaths()).contains("/trade/odata/standard.odata/" + OnecConnector.encode("Document_ЧекККМ"))
                .allMatch(p -> p.chars().allMatch(ch -> ch < 128));
        // a phone from the contact information, normalised; a customer without one has none
        assertThat(java.util.stream.Stream.of("Покупатель 1", "Покупатель 2", "Покупатель 3")
                .map(n -> StoredPersonalData.named(jdbc, "onec-incr", n).phone()).toList()).allMatch(p -> p.matches("\\+79\\d{9}"));
        assertThat(StoredPersonalData.named(jdbc, "onec-incr", "Покупатель 7").phone()).isNull();

        OnecDataSet data = sim.data();
        List<Integer> recent = data.postedSalesSince(data.until().minusDays(3), 4);
        int unposted = recent.get(0), deleted = recent.get(1), returned = recent.get(2), resaved = recent.get(3);
        data.unpost(unposted);
        data.markDeleted(deleted);
        data.turnIntoReturn(returned);
        data.resave(resaved);
        int backdated = data.addBackdated(data.until().minusDays(4).withHour(11), 777_700, 5);
        sim.resetCounters();

        SyncRun second = sync("onec-incr");

        assertThat(second.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(receipts("onec-incr")).isEqualTo(Staged.of(data.truth()));
        assertThat(sale("onec-incr", data, unposted)).containsEntry("status", "VOID");
        assertThat(sale("onec-incr", data, deleted)).containsEntry("status", "VOID");
        assertThat(sale("onec-incr", data, returned)).as("the sale it was is void").containsEntry("status", "VOID");
        assertThat(payment("onec-incr", data, returned)).containsEntry("sale_source_id", data.receiptRef(data.saleOf(returned)))
                .containsEntry("amount_kopecks", -data.receipt(returned).kopecks()).containsEntry("deleted", false);
        assertThat(sale("onec-incr", data, backdated)).containsEntry("kind", "SALE").containsEntry("status", "COMPLETED")
                .containsEntry("amount_kopecks", 777_700L);
        // the back-dated receipt names card 5, whose owner is customer 5
        assertThat(sale("onec-incr", data, backdated).get("customer_source_id")).isEqualTo(
                StoredPersonalData.named(jdbc, "onec-incr", "Покупатель 5").sourceId());
        // only the rolling window was read again, and only changed DataVersions were written
        assertThat(sim.itemsServed()).isLessThan(2 * 300 + 100);
        assertThat(second.recordsWritten()).as("four receipts, the return in two rows").isEqualTo(6);

        SyncRun third = sync("onec-incr");
        assertThat(third.recordsWritten()).as("nothing changed, nothing is written").isZero();
        assertThat(receipts("onec-incr")).isEqualTo(Staged.of(data.truth()));
    }

    @Test
    void serverThatCannotFilterIsScannedInOrderInstead() {
        OnecSimulator sim = simulator(12, 1200, 0);
        sim.failFilters(true);
        connect("onec-scan", sim, OnecSimulator.PASSWORD);

        SyncRun full = sync("onec-scan");

        assertThat(full.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(full.notes()).contains("ordered scan");
        assertThat(receipts("onec-scan")).isEqualTo(Staged.of(sim.data().truth()));

        OnecDataSet data = sim.data();
        int unposted = data.postedSalesSince(data.until().minusDays(2), 1).get(0);
        data.unpost(unposted);
        int backdated = data.addBackdated(data.until().minusDays(5), 120_000, 0);
        sim.resetCounters();

        SyncRun second = sync("onec-scan");

        assertThat(second.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(sim.filterRequests()).isEqualTo(1);
        assertThat(receipts("onec-scan")).isEqualTo(Staged.of(data.truth()));
        assertThat(sale("onec-scan", data, unposted)).containsEntry("status", "VOID");
        assertThat(sale("onec-scan", data, backdated)).containsEntry("status", "COMPLETED").containsEntry("customer_source_id", null);
        // the scan stopped at the start of the rolling window instead of reading the whole year
        assertThat(sim.itemsServed()).isLessThan(2 * 240 + 2 * 200);
    }

    @Test
    void noFreeLicencePausesTheRunWithoutBlamingTheCredentials() {
        OnecSimulator sim = simulator(13, 600, 0);
        connect("onec-406", sim, OnecSimulator.PASSWORD);
        sim.noFreeLicence(1000);

        SyncRun paused = sync("onec-406");

        assertThat(paused.status()).isEqualTo(SyncRunStatus.PARTIAL);
        assertThat(paused.errorMessage()).contains("406");
        assertThat(repository.find("onec-406").orElseThrow().status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(receipts("onec-406").saleRows()).isZero();

        sim.noFreeLicence(0);
        SyncRun later = sync("onec-406");
        assertThat(later.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(receipts("onec-406")).isEqualTo(Staged.of(sim.data().truth()));
    }

    @Test
    void malformedReceiptsGoToDeadLettersOnceAndTheRestLands() {
        OnecSimulator sim = simulator(14, 900, 17);
        connect("onec-bad", sim, OnecSimulator.PASSWORD);

        SyncRun run = sync("onec-bad");

        OnecTruth truth = sim.data().truth();
        assertThat(truth.rejectedCount()).isGreaterThan(40);
        assertThat(run.status()).isEqualTo(SyncRunStatus.PARTIAL);
        assertThat(run.recordsRejected()).isEqualTo(truth.rejectedCount());
        assertThat(receipts("onec-bad")).isEqualTo(Staged.of(truth));
        assertThat(jdbc.queryForList("SELECT DISTINCT reason FROM ops.dead_letter WHERE connection_id = 'onec-bad'", String.class))
                .containsExactlyInAnyOrder("Date is empty", "СуммаДокумента is not an amount",
                        "ВидОперации is neither Продажа nor Возврат");

        SyncRun again = sync("onec-bad");
        assertThat(again.recordsRejected()).as("an unchanged malformed receipt is not dead-lettered again").isZero();
    }

    @Test
    void runThatDiesMidwayIsResumedWithoutLossOrDuplicates() {
        OnecSimulator sim = simulator(16, 1400, 0);
        connect("onec-crash", sim, OnecSimulator.PASSWORD);
        // the stream reads 280 cards (two pages) then receipts; it dies after its second page of receipts, before remembering it
        faults.crashAfterPages("onec-crash", "receipts", 4);

        SyncRun crashed = sync("onec-crash");
        assertThat(crashed.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(jdbc.queryForMap("SELECT position->>'inProgress' AS in_progress, position->>'phase' AS phase, "
                + "position->>'skip' AS skip FROM ops.sync_cursor WHERE connection_id = 'onec-crash' AND stream = 'receipts'"))
                .containsEntry("in_progress", "true").containsEntry("phase", "receipts").containsEntry("skip", "400");

        SyncRun resumed = sync("onec-crash");

        assertThat(resumed.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(receipts("onec-crash")).isEqualTo(Staged.of(sim.data().truth()));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ops.onec_data_version WHERE connection_id = 'onec-crash' "
                + "AND entity = 'Document_ЧекККМ'", Integer.class)).isEqualTo(1400);
    }

    @Test
    void wrongPasswordStopsTheConnection() {
        OnecSimulator sim = simulator(15, 300, 0);
        connect("onec-401", sim, "not-the-password");

        SyncRun run = sync("onec-401");

        assertThat(run.status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);
        assertThat(repository.find("onec-401").orElseThrow().status()).isEqualTo(ConnectionStatus.CREDENTIALS_REJECTED);
    }

    private Map<String, Object> sale(String connectionId, OnecDataSet data, int receiptId) {
        return jdbc.queryForMap("SELECT kind, status, amount_kopecks, customer_source_id FROM staging.sale "
                + "WHERE connection_id = ? AND source_id = ?", connectionId, String.format("%s", refOf(data, receiptId)));
    }

    private Map<String, Object> payment(String connectionId, OnecDataSet data, int receiptId) {
        return jdbc.queryForMap("SELECT sale_source_id, amount_kopecks, deleted FROM staging.payment "
                + "WHERE connection_id = ? AND source_id = ?", connectionId, refOf(data, receiptId));
    }

    private static String refOf(OnecDataSet data, int receiptId) {
        return data.receiptRef(receiptId);
    }
}
