package ru.svoykrug.hub.connect.bitrix24;

import ru.svoykrug.hub.privacy.StoredPersonalData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.connect.SyncScenario;
import ru.svoykrug.hub.connect.TestConnection;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.nightly.NightCalendar;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.simulate.bitrix24.Bitrix24DataSet;
import ru.svoykrug.hub.simulate.bitrix24.Bitrix24Simulator;
import ru.svoykrug.hub.simulate.bitrix24.Bitrix24Truth;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Bitrix24 connector against its simulator: real HTTP, real PostgreSQL, the real route template. */
@ExtendWith(OutputCaptureExtension.class)
class Bitrix24SyncTest extends SyncScenario {

    @Autowired
    NightlyRuns nights;
    @Autowired
    NightCalendar calendar;

    private Bitrix24Simulator simulator(long seed, int deals, int malformedEvery) {
        return started(Bitrix24Simulator.start(new Bitrix24DataSet(seed, deals, malformedEvery, ZoneId.of("Europe/Moscow"), Instant.now())));
    }

    /** Faster than the vendor's pace, for tests not about it: the portal's bucket of 50 takes the burst. */
    private TestConnection quick(String id, Bitrix24Simulator sim) {
        return connection(id, sim).settings("requestsPerSecond", "20");
    }

    @Test
    void fullAndIncrementalSyncEqualThePortalExactly() {
        Bitrix24Simulator sim = simulator(1, 1000, 0);
        sim.liftRateLimit();
        Bitrix24DataSet data = sim.data();
        connect(quick("b24-full", sim));

        SyncRun full = sync("b24-full");

        assertThat(full.status()).as(full.errorMessage()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("b24-full")).isEqualTo(Staged.of(data.truth()));
        assertThat(full.recordsRead()).isEqualTo(data.contactCount() + 1000);
        assertThat(sim.itemsServed()).as("every record once: no page read twice").isEqualTo(data.contactCount() + 1000);
        // phones typed three ways arrive as E.164 (a mobile first); a contact without PHONE has none
        assertThat(StoredPersonalData.phones(jdbc, "SELECT phone_sealed FROM staging.customer WHERE connection_id = 'b24-full' "
                + "AND source_id IN ('1','2','3','5')")).hasSize(4).allMatch(p -> p.matches("\\+79\\d{9}"));
        assertThat(StoredPersonalData.phone(jdbc, "SELECT phone_sealed FROM staging.customer WHERE connection_id = 'b24-full' AND source_id = '9'")).isNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'b24-full' AND zone = 'Europe/Moscow'",
                Integer.class)).as("the partner's zone beside every instant").isEqualTo(data.truth().saleRows());

        int[] won = data.deals(Bitrix24DataSet.Deal::won, 2);
        int[] open = data.deals(d -> d.semantic().equals("P"), 1);
        data.moveTo(won[0], "LOSE");
        data.moveTo(won[1], "EXECUTING");
        data.moveTo(open[0], "WON");
        int added = data.addWonDeal(5, 1_234_550);
        data.renameContact(7, "№7 (VIP)");
        sim.resetCounters();

        SyncRun incremental = sync("b24-full");

        assertThat(incremental.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("b24-full")).isEqualTo(Staged.of(data.truth()));
        assertThat(sim.itemsServed()).as("what changed (4 deals and a contact) plus the newest record of each list, "
                + "re-read in the overlap window").isEqualTo(5 + 2);
        assertThat(status("b24-full", won[0])).isEqualTo("VOID");
        assertThat(status("b24-full", won[1])).as("reopened: no longer a sale").isEqualTo("PENDING");
        assertThat(status("b24-full", open[0])).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForMap("SELECT amount_kopecks, customer_source_id FROM staging.sale WHERE connection_id = 'b24-full' "
                + "AND source_id = ?", Integer.toString(added))).containsEntry("amount_kopecks", 1_234_550L).containsEntry("customer_source_id", "5");
        assertThat(StoredPersonalData.name(jdbc, "b24-full", "7")).isEqualTo("Контакт №7 (VIP)");

        SyncRun again = sync("b24-full");
        assertThat(again.recordsWritten()).as("re-reading the overlap changes nothing").isZero();
        assertThat(staged("b24-full")).isEqualTo(Staged.of(data.truth()));
    }

    @Test
    void moreThanAPageChangedInOneSecondIsReadWhole() {
        Bitrix24Simulator sim = simulator(2, 120, 0);
        sim.liftRateLimit();
        Bitrix24DataSet data = sim.data();
        connect(quick("b24-second", sim));
        assertThat(sync("b24-second").status()).isEqualTo(SyncRunStatus.SUCCEEDED);

        for (int i = 0; i < 130; i++) {
            data.addWonDeal(1 + i % data.contactCount(), 100_000 + i); // a bulk import: most share their DATE_MODIFY second
        }
        SyncRun incremental = sync("b24-second");

        assertThat(incremental.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("b24-second")).isEqualTo(Staged.of(data.truth()));
    }

    @Test
    void aDealChangedDuringTheRunMakesNoOtherDealBeSkipped() throws Exception {
        Bitrix24Simulator sim = simulator(10, 300, 0);
        Bitrix24DataSet data = sim.data();
        connect(connection("b24-moving", sim)); // the vendor's pace: a second between pages
        CompletableFuture<SyncRun> run = CompletableFuture.supplyAsync(() -> sync("b24-moving"));
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM staging.sale WHERE connection_id = 'b24-moving'", Integer.class) >= 50);

        // deal 1, on the page just read, jumps to the end of the list: with a fixed bound and offset 50 the
        // next page would start one deal late, and deal 51 would never be read
        data.moveTo(1, data.deal(1).won() ? "LOSE" : "WON");

        assertThat(run.get(60, TimeUnit.SECONDS).status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'b24-moving' AND source_id = '51'",
                Integer.class)).as("the deal that moved onto the page already read").isEqualTo(1);
        assertThat(staged("b24-moving")).isEqualTo(Staged.of(data.truth()));
    }

    @Test
    void runThatDiesMidwayResumesWithoutLossOrDuplicates() {
        Bitrix24Simulator sim = simulator(3, 1500, 0);
        sim.liftRateLimit();
        connect(quick("b24-crash", sim));
        faults.crashAfterPages("b24-crash", "deals", 4);

        SyncRun crashed = sync("b24-crash");
        assertThat(crashed.status()).isEqualTo(SyncRunStatus.FAILED);
        Map<String, Object> position = jdbc.queryForMap("SELECT position->>'inProgress' AS in_progress, position->>'start' AS start, "
                + "position->>'from' AS from FROM ops.sync_cursor WHERE connection_id = 'b24-crash' AND stream = 'deals'");
        assertThat(position).containsEntry("in_progress", "true").containsEntry("start", "1");
        assertThat(position.get("from")).isNotNull();
        sim.resetCounters();

        SyncRun resumed = sync("b24-crash");

        assertThat(resumed.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("b24-crash")).isEqualTo(Staged.of(sim.data().truth()));
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT source_id) = count(*) FROM staging.sale WHERE connection_id = 'b24-crash'",
                Boolean.class)).isTrue();
        assertThat(sim.itemsServed()).as("the deals after the 4 committed pages, nothing read twice, and the newest contact "
                + "(the contacts were done: re-read in the overlap)").isEqualTo(1500 - 4 * 50 + 1);
    }

    @Test
    void malformedDealsAreDeadLettersWithTheirReasonAndTheRestIsStaged() {
        Bitrix24Simulator sim = simulator(4, 600, 7);
        sim.liftRateLimit();
        Bitrix24Truth truth = sim.data().truth();
        connect(quick("b24-bad", sim));

        SyncRun run = sync("b24-bad");

        assertThat(run.status()).isEqualTo(SyncRunStatus.PARTIAL);
        assertThat(run.recordsRejected()).isEqualTo(truth.rejected());
        assertThat(staged("b24-bad")).isEqualTo(Staged.of(truth));
        assertThat(jdbc.queryForList("SELECT DISTINCT fields || ': ' || reason FROM ops.dead_letter WHERE connection_id = 'b24-bad' "
                + "AND stream = 'deals' ORDER BY 1", String.class)).containsExactly(
                "CLOSEDATE: CLOSEDATE is not a Bitrix24 date-time with offset",
                "OPPORTUNITY: OPPORTUNITY is not an amount",
                "STAGE_SEMANTIC_ID: STAGE_SEMANTIC_ID is not S, F or P");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ops.dead_letter WHERE connection_id = 'b24-bad' AND source_id IS NULL",
                Integer.class)).isZero();
    }

    @Test
    void aRejectedWebhookStopsTheConnectionAndItsCodeIsNeverRepeated(CapturedOutput output) {
        Bitrix24Simulator sim = simulator(5, 200, 0);
        sim.liftRateLimit();
        String code = "hook-" + Long.toHexString(System.nanoTime());
        sim.acceptWebhook("12", code);
        String webhookUrl = sim.baseUrl() + "/rest/12/" + code + "/";
        connect(quick("b24-rejected", sim).partner("Partner").credentials(Map.of("webhookUrl", webhookUrl)));
        assertThat(sync("b24-rejected").status()).as("the whole webhook address as Bitrix24 shows it")
                .isEqualTo(SyncRunStatus.SUCCEEDED);
        Staged before = staged("b24-rejected");

        sim.acceptWebhook("12", "a-new-code"); // the partner deleted the hub's webhook and made another
        SyncRun rejected = sync("b24-rejected");

        assertThat(rejected.status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);
        assertThat(rejected.errorMessage()).contains("HTTP 401").contains("INVALID_CREDENTIALS").doesNotContain(code)
                .as("the vendor's prose stays out").doesNotContain("Invalid request credentials");
        assertThat(repository.find("b24-rejected").orElseThrow().status()).isEqualTo(ConnectionStatus.CREDENTIALS_REJECTED);
        assertThat(staged("b24-rejected")).isEqualTo(before);

        connections.update(quick("b24-rejected", sim).partner("Partner")
                .credentials(Map.of("userId", "12", "webhookCode", "a-new-code")).definition());
        assertThat(repository.find("b24-rejected").orElseThrow().status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(sync("b24-rejected").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(output.getAll()).doesNotContain(code).doesNotContain("a-new-code");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ops.sync_run WHERE connection_id = 'b24-rejected' "
                + "AND (error_message LIKE '%' || ? || '%' OR error_message LIKE '%a-new-code%')", Integer.class, code)).isZero();
    }

    @Test
    void aWebhookPastedIntoTheSettingsIsRefusedWithoutRepeatingIt() {
        Bitrix24Simulator sim = simulator(6, 10, 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> connect(connection("b24-pasted", sim).partner("Partner")
                        .settings("baseUrl", sim.baseUrl() + "/rest/1/" + Bitrix24Simulator.WEBHOOK_CODE + "/")))
                .hasMessageContaining("credentials").hasMessageNotContaining(Bitrix24Simulator.WEBHOOK_CODE);
    }

    @Test
    void queryLimitExceededIsRetriedByTheOneErrorHandlerAndLogsNoWebhook(CapturedOutput output) {
        Bitrix24Simulator sim = simulator(7, 500, 0);
        sim.limit(4, 2); // a portal whose bucket is nearly full already
        connect(quick("b24-limit", sim));

        SyncRun run = sync("b24-limit");

        assertThat(run.status()).as(run.errorMessage()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(sim.tooManyRequests()).isPositive();
        assertThat(staged("b24-limit")).isEqualTo(Staged.of(sim.data().truth()));
        assertThat(output.getAll()).contains("HTTP 503 from").contains("/rest/crm.").doesNotContain(Bitrix24Simulator.WEBHOOK_CODE);
    }

    @Test
    void theVendorsPaceIsTheDefaultAndIsNeverRefused() {
        Bitrix24Simulator sim = simulator(8, 120, 0);
        sim.limit(1, 2); // refused at once above 2 a second
        connect(connection("b24-pace", sim));

        SyncRun run = sync("b24-pace");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(sim.tooManyRequests()).isZero();
        assertThat(sim.maxRequestsInAnySecond()).isLessThanOrEqualTo(2);
        assertThat(staged("b24-pace")).isEqualTo(Staged.of(sim.data().truth()));
    }

    @Test
    void aNightTurnsWonDealsIntoPurchasesThatEarn() {
        Bitrix24Simulator sim = simulator(9, 300, 0);
        sim.liftRateLimit();
        connect(quick("b24-night", sim));
        assertThat(sync("b24-night").status()).isEqualTo(SyncRunStatus.SUCCEEDED);

        assertThat(nights.runAndWait(calendar.yesterday(), Duration.ofMinutes(5)).getStatus().name()).isEqualTo("COMPLETED");

        Map<String, Object> staged = jdbc.queryForMap("SELECT count(*) AS sales, sum(amount_kopecks) AS kopecks FROM staging.sale "
                + "WHERE connection_id = 'b24-night' AND status = 'COMPLETED' AND customer_source_id IS NOT NULL");
        Map<String, Object> purchases = jdbc.queryForMap("SELECT count(*) AS sales, sum(amount_kopecks) AS kopecks FROM core.purchase "
                + "WHERE connection_id = 'b24-night' AND completed");
        assertThat(purchases).isEqualTo(staged);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM core.points_ledger WHERE connection_id = 'b24-night' AND entry_type = 'EARN'",
                Long.class)).isEqualTo(jdbc.queryForObject("SELECT count(*) FROM core.purchase WHERE connection_id = 'b24-night' "
                + "AND completed AND purchase_day <= ?", Long.class, calendar.yesterday()));
    }

    private String status(String connectionId, int dealId) {
        return saleStatus(connectionId, Integer.toString(dealId));
    }
}
