package ru.svoykrug.hub.connect.bitrix24;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.connect.SyncFaults;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.nightly.NightCalendar;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.simulate.bitrix24.Bitrix24DataSet;
import ru.svoykrug.hub.simulate.bitrix24.Bitrix24Simulator;
import ru.svoykrug.hub.simulate.bitrix24.Bitrix24Truth;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;
import ru.svoykrug.hub.sync.SyncRunner;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Bitrix24 connector against its simulator: real HTTP, real PostgreSQL, the real route template.
 * Over 300 lines because it holds the same kinds of scenarios as every other {@code *SyncTest} with the
 * same preamble; the shared sync-test base of issue 11 takes the preamble away when it is ported there.
 */
@ExtendWith(OutputCaptureExtension.class)
class Bitrix24SyncTest extends HubIntegrationTest {

    @Autowired
    ConnectionService connections;
    @Autowired
    ConnectionRepository repository;
    @Autowired
    SyncRunner runner;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SyncFaults faults;
    @Autowired
    NightlyRuns nights;
    @Autowired
    NightCalendar calendar;

    private final List<Bitrix24Simulator> simulators = new ArrayList<>();

    @AfterEach
    void stopSimulators() {
        faults.clear();
        simulators.forEach(Bitrix24Simulator::close);
    }

    private Bitrix24Simulator simulator(long seed, int deals, int malformedEvery) {
        Bitrix24Simulator sim = Bitrix24Simulator.start(new Bitrix24DataSet(seed, deals, malformedEvery, ZoneId.of("Europe/Moscow"), Instant.now()));
        simulators.add(sim);
        return sim;
    }

    /** A connection by the webhook's user id and code; {@code settings} on top of the portal's address. */
    private static ConnectionDefinition webhook(String id, Bitrix24Simulator sim, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("baseUrl", sim.baseUrl());
        return new ConnectionDefinition(id, "Partner " + id, "bitrix24", "Europe/Moscow", false, TestConnections.NEVER, all,
                sim.credentials());
    }

    /** Faster than the vendor's pace, for tests not about it: the portal's bucket of 50 takes the burst. */
    private static ConnectionDefinition quick(String id, Bitrix24Simulator sim) {
        return webhook(id, sim, Map.of("requestsPerSecond", "20"));
    }

    private static Staged staged(Bitrix24Truth truth) {
        return new Staged(truth.customers(), truth.saleRows(), truth.completedSales(), truth.completedSalesKopecks(), 0, 0);
    }

    @Test
    void fullAndIncrementalSyncEqualThePortalExactly() {
        Bitrix24Simulator sim = simulator(1, 1000, 0);
        sim.liftRateLimit();
        Bitrix24DataSet data = sim.data();
        connections.ensure(quick("b24-full", sim));

        SyncRun full = runner.run("b24-full", "test");

        assertThat(full.status()).as(full.errorMessage()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "b24-full")).isEqualTo(staged(data.truth()));
        assertThat(full.recordsRead()).isEqualTo(data.contactCount() + 1000);
        assertThat(sim.itemsServed()).as("every record once: no page read twice").isEqualTo(data.contactCount() + 1000);
        // phones typed three ways arrive as E.164 (a mobile first); a contact without PHONE has none
        assertThat(jdbc.queryForList("SELECT phone_e164 FROM staging.customer WHERE connection_id = 'b24-full' "
                + "AND source_id IN ('1','2','3','5')", String.class)).hasSize(4).allMatch(p -> p.matches("\\+79\\d{9}"));
        assertThat(jdbc.queryForObject("SELECT phone_e164 FROM staging.customer WHERE connection_id = 'b24-full' AND source_id = '9'",
                String.class)).isNull();
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

        SyncRun incremental = runner.run("b24-full", "test");

        assertThat(incremental.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "b24-full")).isEqualTo(staged(data.truth()));
        assertThat(sim.itemsServed()).as("what changed (4 deals and a contact) plus the newest record of each list, "
                + "re-read in the overlap window").isEqualTo(5 + 2);
        assertThat(status("b24-full", won[0])).isEqualTo("VOID");
        assertThat(status("b24-full", won[1])).as("reopened: no longer a sale").isEqualTo("PENDING");
        assertThat(status("b24-full", open[0])).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForMap("SELECT amount_kopecks, customer_source_id FROM staging.sale WHERE connection_id = 'b24-full' "
                + "AND source_id = ?", Integer.toString(added))).containsEntry("amount_kopecks", 1_234_550L).containsEntry("customer_source_id", "5");
        assertThat(jdbc.queryForObject("SELECT name FROM staging.customer WHERE connection_id = 'b24-full' AND source_id = '7'",
                String.class)).isEqualTo("Контакт №7 (VIP)");

        SyncRun again = runner.run("b24-full", "test");
        assertThat(again.recordsWritten()).as("re-reading the overlap changes nothing").isZero();
        assertThat(Staged.of(jdbc, "b24-full")).isEqualTo(staged(data.truth()));
    }

    @Test
    void moreThanAPageChangedInOneSecondIsReadWhole() {
        Bitrix24Simulator sim = simulator(2, 120, 0);
        sim.liftRateLimit();
        Bitrix24DataSet data = sim.data();
        connections.ensure(quick("b24-second", sim));
        assertThat(runner.run("b24-second", "test").status()).isEqualTo(SyncRunStatus.SUCCEEDED);

        for (int i = 0; i < 130; i++) {
            data.addWonDeal(1 + i % data.contactCount(), 100_000 + i); // a bulk import: most share their DATE_MODIFY second
        }
        SyncRun incremental = runner.run("b24-second", "test");

        assertThat(incremental.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "b24-second")).isEqualTo(staged(data.truth()));
    }

    @Test
    void aDealChangedDuringTheRunMakesNoOtherDealBeSkipped() throws Exception {
        Bitrix24Simulator sim = simulator(10, 300, 0);
        Bitrix24DataSet data = sim.data();
        connections.ensure(webhook("b24-moving", sim, Map.of())); // the vendor's pace: a second between pages
        CompletableFuture<SyncRun> run = CompletableFuture.supplyAsync(() -> runner.run("b24-moving", "test"));
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM staging.sale WHERE connection_id = 'b24-moving'", Integer.class) >= 50);

        // deal 1, on the page just read, jumps to the end of the list: with a fixed bound and offset 50 the
        // next page would start one deal late, and deal 51 would never be read
        data.moveTo(1, data.deal(1).won() ? "LOSE" : "WON");

        assertThat(run.get(60, TimeUnit.SECONDS).status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'b24-moving' AND source_id = '51'",
                Integer.class)).as("the deal that moved onto the page already read").isEqualTo(1);
        assertThat(Staged.of(jdbc, "b24-moving")).isEqualTo(staged(data.truth()));
    }

    @Test
    void runThatDiesMidwayResumesWithoutLossOrDuplicates() {
        Bitrix24Simulator sim = simulator(3, 1500, 0);
        sim.liftRateLimit();
        connections.ensure(quick("b24-crash", sim));
        faults.crashAfterPages("b24-crash", "deals", 4);

        SyncRun crashed = runner.run("b24-crash", "test");
        assertThat(crashed.status()).isEqualTo(SyncRunStatus.FAILED);
        Map<String, Object> position = jdbc.queryForMap("SELECT position->>'inProgress' AS in_progress, position->>'start' AS start, "
                + "position->>'from' AS from FROM ops.sync_cursor WHERE connection_id = 'b24-crash' AND stream = 'deals'");
        assertThat(position).containsEntry("in_progress", "true").containsEntry("start", "1");
        assertThat(position.get("from")).isNotNull();
        sim.resetCounters();

        SyncRun resumed = runner.run("b24-crash", "test");

        assertThat(resumed.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "b24-crash")).isEqualTo(staged(sim.data().truth()));
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
        connections.ensure(quick("b24-bad", sim));

        SyncRun run = runner.run("b24-bad", "test");

        assertThat(run.status()).isEqualTo(SyncRunStatus.PARTIAL);
        assertThat(run.recordsRejected()).isEqualTo(truth.rejected());
        assertThat(Staged.of(jdbc, "b24-bad")).isEqualTo(staged(truth));
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
        ConnectionDefinition byUrl = new ConnectionDefinition("b24-rejected", "Partner", "bitrix24", "Europe/Moscow", false,
                TestConnections.NEVER, Map.of("baseUrl", sim.baseUrl(), "requestsPerSecond", "20"), Map.of("webhookUrl", webhookUrl));
        connections.ensure(byUrl);
        assertThat(runner.run("b24-rejected", "test").status()).as("the whole webhook address as Bitrix24 shows it")
                .isEqualTo(SyncRunStatus.SUCCEEDED);
        Staged before = Staged.of(jdbc, "b24-rejected");

        sim.acceptWebhook("12", "a-new-code"); // the partner deleted the hub's webhook and made another
        SyncRun rejected = runner.run("b24-rejected", "test");

        assertThat(rejected.status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);
        assertThat(rejected.errorMessage()).contains("HTTP 401").contains("INVALID_CREDENTIALS").doesNotContain(code)
                .as("the vendor's prose stays out").doesNotContain("Invalid request credentials");
        assertThat(repository.find("b24-rejected").orElseThrow().status()).isEqualTo(ConnectionStatus.CREDENTIALS_REJECTED);
        assertThat(Staged.of(jdbc, "b24-rejected")).isEqualTo(before);

        connections.update(new ConnectionDefinition("b24-rejected", "Partner", "bitrix24", "Europe/Moscow", false, TestConnections.NEVER,
                Map.of("baseUrl", sim.baseUrl(), "requestsPerSecond", "20"), Map.of("userId", "12", "webhookCode", "a-new-code")));
        assertThat(repository.find("b24-rejected").orElseThrow().status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(runner.run("b24-rejected", "test").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(output.getAll()).doesNotContain(code).doesNotContain("a-new-code");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ops.sync_run WHERE connection_id = 'b24-rejected' "
                + "AND (error_message LIKE '%' || ? || '%' OR error_message LIKE '%a-new-code%')", Integer.class, code)).isZero();
    }

    @Test
    void aWebhookPastedIntoTheSettingsIsRefusedWithoutRepeatingIt() {
        Bitrix24Simulator sim = simulator(6, 10, 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> connections.ensure(new ConnectionDefinition("b24-pasted", "Partner",
                        "bitrix24", "Europe/Moscow", false, TestConnections.NEVER,
                        Map.of("baseUrl", sim.baseUrl() + "/rest/1/" + Bitrix24Simulator.WEBHOOK_CODE + "/"), sim.credentials())))
                .hasMessageContaining("credentials").hasMessageNotContaining(Bitrix24Simulator.WEBHOOK_CODE);
    }

    @Test
    void queryLimitExceededIsRetriedByTheOneErrorHandlerAndLogsNoWebhook(CapturedOutput output) {
        Bitrix24Simulator sim = simulator(7, 500, 0);
        sim.limit(4, 2); // a portal whose bucket is nearly full already
        connections.ensure(quick("b24-limit", sim));

        SyncRun run = runner.run("b24-limit", "test");

        assertThat(run.status()).as(run.errorMessage()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(sim.tooManyRequests()).isPositive();
        assertThat(Staged.of(jdbc, "b24-limit")).isEqualTo(staged(sim.data().truth()));
        assertThat(output.getAll()).contains("HTTP 503 from").contains("/rest/crm.").doesNotContain(Bitrix24Simulator.WEBHOOK_CODE);
    }

    @Test
    void theVendorsPaceIsTheDefaultAndIsNeverRefused() {
        Bitrix24Simulator sim = simulator(8, 120, 0);
        sim.limit(1, 2); // refused at once above 2 a second
        connections.ensure(webhook("b24-pace", sim, Map.of()));

        SyncRun run = runner.run("b24-pace", "test");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(sim.tooManyRequests()).isZero();
        assertThat(sim.maxRequestsInAnySecond()).isLessThanOrEqualTo(2);
        assertThat(Staged.of(jdbc, "b24-pace")).isEqualTo(staged(sim.data().truth()));
    }

    @Test
    void aNightTurnsWonDealsIntoPurchasesThatEarn() {
        Bitrix24Simulator sim = simulator(9, 300, 0);
        sim.liftRateLimit();
        connections.ensure(quick("b24-night", sim));
        assertThat(runner.run("b24-night", "test").status()).isEqualTo(SyncRunStatus.SUCCEEDED);

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
        return jdbc.queryForObject("SELECT status FROM staging.sale WHERE connection_id = ? AND source_id = ?", String.class,
                connectionId, Integer.toString(dealId));
    }
}
