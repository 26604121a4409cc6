package ru.svoykrug.hub.connect.iiko;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.connect.SyncFaults;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.simulate.iiko.IikoDataSet.Order;
import ru.svoykrug.hub.simulate.iiko.IikoDataSet;
import ru.svoykrug.hub.simulate.iiko.IikoSimulator;
import ru.svoykrug.hub.simulate.iiko.IikoTruth;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;
import ru.svoykrug.hub.sync.SyncRunner;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The iiko connector against its simulator: real HTTP, real PostgreSQL, the real route template. */
class IikoSyncTest extends HubIntegrationTest {

    private static final ZoneId NOVOSIBIRSK = ZoneId.of("Asia/Novosibirsk");

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

    private final List<IikoSimulator> simulators = new ArrayList<>();

    @AfterEach
    void stopSimulators() {
        faults.clear();
        simulators.forEach(IikoSimulator::close);
    }

    private IikoSimulator simulator(long seed, int orders) {
        IikoSimulator sim = IikoSimulator.start(new IikoDataSet(seed, orders, NOVOSIBIRSK));
        simulators.add(sim);
        return sim;
    }

    private void connect(String id, IikoSimulator sim, Map<String, String> extraSettings) {
        Map<String, String> settings = new HashMap<>(Map.of("baseUrl", sim.baseUrl(), "organizationId", sim.data().organizationId()));
        settings.putAll(extraSettings);
        connections.ensure(new ConnectionDefinition(id, "Partner " + id, "iiko", NOVOSIBIRSK.getId(), false, TestConnections.NEVER,
                settings, Map.of("apiLogin", IikoSimulator.API_LOGIN)));
    }

    private static Staged staged(IikoTruth truth) {
        return new Staged(0, truth.saleRows(), truth.completedSales(), truth.completedSalesKopecks(), 0, 0);
    }

    @Test
    void fullAndIncrementalSyncEqualTheOrganizationExactly() {
        IikoSimulator sim = simulator(1, 1400);
        IikoDataSet data = sim.data();
        connect("iiko-full", sim, Map.of());

        SyncRun full = runner.run("iiko-full", "test");

        assertThat(full.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "iiko-full")).isEqualTo(staged(data.truth()));
        assertThat(voided("iiko-full")).isEqualTo(data.truth().voidSales());
        assertThat(full.notes()).as("a first sync is no fallback").isNull();
        // terminal-local times become UTC instants, the zone kept beside them
        int closed = data.orders(Order::completed, 1)[0];
        Order o = data.order(closed);
        Map<String, Object> row = jdbc.queryForMap("SELECT occurred_at, zone, phone_e164, amount_kopecks FROM staging.sale "
                + "WHERE connection_id = 'iiko-full' AND source_id = ?", data.organizationId() + ":" + o.id());
        assertThat(((java.sql.Timestamp) row.get("occurred_at")).toInstant()).isEqualTo(o.closed().truncatedTo(ChronoUnit.MILLIS));
        assertThat(row.get("zone")).isEqualTo("Asia/Novosibirsk");
        assertThat(row.get("amount_kopecks")).isEqualTo(o.kopecks());
        assertThat((String) row.get("phone_e164")).matches("\\+79\\d{9}");

        int[] completed = data.orders(Order::completed, 2);
        int[] underWay = data.orders(x -> !x.completed() && !x.status().equals("Cancelled"), 1);
        data.cancel(completed[0]);
        data.cancel(completed[1]);
        data.close(underWay[0]);
        int added = data.addClosed(456_780);
        sim.resetCounters();

        SyncRun incremental = runner.run("iiko-full", "test");

        assertThat(incremental.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "iiko-full")).isEqualTo(staged(data.truth()));
        assertThat(sim.byDateCalls()).as("an incremental sync goes by revision").isZero();
        assertThat(sim.ordersServed()).as("only the four changed orders").isEqualTo(4);
        assertThat(status("iiko-full", data, data.id(completed[0]))).isEqualTo("VOID");
        assertThat(status("iiko-full", data, data.id(completed[1]))).isEqualTo("VOID");
        assertThat(status("iiko-full", data, data.id(underWay[0]))).isEqualTo("COMPLETED");
        assertThat(status("iiko-full", data, data.id(added))).isEqualTo("COMPLETED");

        SyncRun again = runner.run("iiko-full", "test");
        assertThat(again.recordsWritten()).isZero();
        assertThat(Staged.of(jdbc, "iiko-full")).isEqualTo(staged(data.truth()));
    }

    @Test
    void runThatDiesMidwayResumesWithoutLossOrDuplicates() {
        IikoSimulator sim = simulator(2, 1500);
        connect("iiko-crash", sim, Map.of());
        faults.crashAfterPages("iiko-crash", "deliveries", 3); // three days of the first week are in

        SyncRun crashed = runner.run("iiko-crash", "test");
        assertThat(crashed.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(jdbc.queryForObject("SELECT position->>? FROM ops.sync_cursor WHERE connection_id = 'iiko-crash'",
                String.class, sim.data().organizationId() + ".windowNext")).isNotNull();
        long stagedAtCrash = jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'iiko-crash'", Long.class);
        sim.resetCounters();

        SyncRun resumed = runner.run("iiko-crash", "test");

        assertThat(resumed.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "iiko-crash")).isEqualTo(staged(sim.data().truth()));
        assertThat(sim.ordersServed()).as("the resumed run reads only the days not yet in")
                .isEqualTo(sim.data().truth().saleRows() - stagedAtCrash);
    }

    @Test
    void tokenThatExpiresDuringALongSyncIsRenewedAndTheSyncCompletes() {
        IikoSimulator sim = simulator(3, 2000);
        sim.tokenTtl(Duration.ofMillis(1500)); // the hub believes in iiko's hour; the simulator cuts it short
        connect("iiko-expiry", sim, Map.of("chunkMinutes", "240", "requestsPerSecond", "5"));

        SyncRun run = runner.run("iiko-expiry", "test");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "iiko-expiry")).isEqualTo(staged(sim.data().truth()));
        assertThat(sim.unauthorized()).isGreaterThanOrEqualTo(1);
        assertThat(sim.tokensIssued()).isEqualTo(1 + sim.unauthorized());
    }

    @Test
    void timeoutsOfIikoItselfAreRetried() {
        IikoSimulator sim = simulator(4, 400);
        connect("iiko-408", sim, Map.of());
        sim.timeout408(3);

        SyncRun run = runner.run("iiko-408", "test");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(sim.timeoutsServed()).isEqualTo(3);
        assertThat(Staged.of(jdbc, "iiko-408")).isEqualTo(staged(sim.data().truth()));
    }

    @Test
    void outageLongerThanThreeHoursIsFilledByDeliveryDateAndTheRunSaysSo() {
        IikoSimulator sim = simulator(5, 1200);
        IikoDataSet data = sim.data();
        connect("iiko-outage", sim, Map.of());
        assertThat(runner.run("iiko-outage", "test").status()).isEqualTo(SyncRunStatus.SUCCEEDED);

        int[] recent = lastCompleted(data, 2);
        data.cancel(recent[0]);
        int added = data.addClosed(99_990);
        // the hub was away four hours: its saved revision and iiko's change log both aged that much
        data.age(Duration.ofHours(4));
        revisionSavedAt("iiko-outage", data, Instant.now().minus(Duration.ofHours(4)));
        sim.resetCounters();

        SyncRun run = runner.run("iiko-outage", "test");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(run.notes()).contains("iiko fallback").contains("older than iiko accepts").doesNotContain("gap NOT read");
        assertThat(sim.revisionRefused()).as("the hub knew its revision was too old without asking").isZero();
        assertThat(sim.byDateCalls()).isPositive();
        assertThat(Staged.of(jdbc, "iiko-outage")).isEqualTo(staged(data.truth()));
        assertThat(status("iiko-outage", data, data.id(recent[0]))).isEqualTo("VOID");
        assertThat(status("iiko-outage", data, data.id(added))).isEqualTo("COMPLETED");

        data.cancel(recent[1]);
        SyncRun after = runner.run("iiko-outage", "test");
        assertThat(after.notes()).as("back on revisions").isNull();
        assertThat(status("iiko-outage", data, data.id(recent[1]))).isEqualTo("VOID");
    }

    @Test
    void revisionThatIikoRefusesAsTooOldFallsBackWithinTheSameRun() {
        IikoSimulator sim = simulator(6, 1000);
        IikoDataSet data = sim.data();
        connect("iiko-refused", sim, Map.of());
        assertThat(runner.run("iiko-refused", "test").status()).isEqualTo(SyncRunStatus.SUCCEEDED);

        int[] recent = lastCompleted(data, 1);
        data.cancel(recent[0]);
        data.addClosed(10_000);
        data.age(Duration.ofHours(4)); // iiko's clock says so; the hub's cursor thinks it is fresh

        SyncRun run = runner.run("iiko-refused", "test");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(sim.revisionRefused()).isEqualTo(1);
        assertThat(run.notes()).contains("iiko fallback").contains("refused the saved revision");
        assertThat(Staged.of(jdbc, "iiko-refused")).isEqualTo(staged(data.truth()));
        assertThat(status("iiko-refused", data, data.id(recent[0]))).isEqualTo("VOID");
    }

    @Test
    void gapOlderThanSevenDaysIsReportedNotHidden() {
        IikoSimulator sim = simulator(7, 600);
        IikoDataSet data = sim.data();
        connect("iiko-gap", sim, Map.of());
        assertThat(runner.run("iiko-gap", "test").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        int added = data.addClosed(5_000);
        revisionSavedAt("iiko-gap", data, Instant.now().minus(Duration.ofDays(9)));

        SyncRun run = runner.run("iiko-gap", "test");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(run.notes()).contains("iiko fallback").contains("gap NOT read").contains("7 days");
        assertThat(status("iiko-gap", data, data.id(added))).isEqualTo("COMPLETED");
        assertThat(Staged.of(jdbc, "iiko-gap")).isEqualTo(staged(data.truth()));
    }

    @Test
    void oneConnectionReadsEveryOrganizationOfTheLoginEachFromItsOwnRevision() {
        // two restaurants whose order ids collide: only the organization tells their sales apart
        IikoSimulator sim = IikoSimulator.start(new IikoDataSet(21, 300, NOVOSIBIRSK), new IikoDataSet(22, 200, NOVOSIBIRSK, 21));
        simulators.add(sim);
        IikoDataSet first = sim.organizations().get(0);
        IikoDataSet second = sim.organizations().get(1);
        assertThat(second.id(1)).isEqualTo(first.id(1));
        connections.ensure(new ConnectionDefinition("iiko-orgs", "Partner", "iiko", NOVOSIBIRSK.getId(), false, TestConnections.NEVER,
                Map.of("baseUrl", sim.baseUrl()), Map.of("apiLogin", IikoSimulator.API_LOGIN)));

        SyncRun full = runner.run("iiko-orgs", "test");

        assertThat(full.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "iiko-orgs")).isEqualTo(staged(sum(first.truth(), second.truth())));
        assertThat(status("iiko-orgs", first, first.id(1))).isEqualTo(statusOf(first.order(1)));
        assertThat(status("iiko-orgs", second, second.id(1))).isEqualTo(statusOf(second.order(1)));
        String cursor = jdbc.queryForObject("SELECT position::text FROM ops.sync_cursor WHERE connection_id = 'iiko-orgs'", String.class);
        assertThat(cursor).contains(first.organizationId() + ".revision").contains(second.organizationId() + ".revision");

        // a change in each; then only the second restaurant's revision is too old for iiko
        int[] closedInSecond = lastCompleted(second, 1);
        second.cancel(closedInSecond[0]);
        int added = first.addClosed(12_340);
        second.age(Duration.ofHours(4));
        revisionSavedAt("iiko-orgs", second, Instant.now().minus(Duration.ofHours(4)));
        sim.resetCounters();

        SyncRun next = runner.run("iiko-orgs", "test");

        assertThat(next.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(next.notes()).as("the fallback names its organization, and only that one")
                .contains("iiko fallback").contains(second.organizationId()).doesNotContain(first.organizationId());
        assertThat(Staged.of(jdbc, "iiko-orgs")).isEqualTo(staged(sum(first.truth(), second.truth())));
        assertThat(status("iiko-orgs", second, second.id(closedInSecond[0]))).isEqualTo("VOID");
        assertThat(status("iiko-orgs", first, first.id(closedInSecond[0]))).isEqualTo(statusOf(first.order(closedInSecond[0])));
        assertThat(status("iiko-orgs", first, first.id(added))).isEqualTo("COMPLETED");
    }

    @Test
    void organizationIdsNameTheRestaurantsToRead() {
        IikoSimulator sim = IikoSimulator.start(new IikoDataSet(23, 120, NOVOSIBIRSK), new IikoDataSet(24, 80, NOVOSIBIRSK),
                new IikoDataSet(25, 60, NOVOSIBIRSK));
        simulators.add(sim);
        List<IikoDataSet> orgs = sim.organizations();
        connect("iiko-listed", sim, Map.of("organizationIds", orgs.get(1).organizationId() + ", " + orgs.get(2).organizationId()));

        SyncRun run = runner.run("iiko-listed", "test");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "iiko-listed")).as("the legacy organizationId counts too")
                .isEqualTo(staged(sum(sum(orgs.get(0).truth(), orgs.get(1).truth()), orgs.get(2).truth())));

        connections.ensure(new ConnectionDefinition("iiko-listed-2", "Partner", "iiko", NOVOSIBIRSK.getId(), false, TestConnections.NEVER,
                Map.of("baseUrl", sim.baseUrl(), "organizationIds[0]", orgs.get(2).organizationId()),
                Map.of("apiLogin", IikoSimulator.API_LOGIN)));
        assertThat(runner.run("iiko-listed-2", "test").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "iiko-listed-2")).isEqualTo(staged(orgs.get(2).truth()));
    }

    private static IikoTruth sum(IikoTruth a, IikoTruth b) {
        return new IikoTruth(a.saleRows() + b.saleRows(), a.completedSales() + b.completedSales(),
                a.completedSalesKopecks() + b.completedSalesKopecks(), a.voidSales() + b.voidSales());
    }

    private static String statusOf(Order o) {
        return o.completed() ? "COMPLETED" : o.status().equals("Cancelled") ? "VOID" : "PENDING";
    }

    @Test
    void aBusyTokenEndpointHoldsTheConnectionForItsRetryAfterAndAHugeOneIsNoOverflow() {
        IikoSimulator sim = simulator(9, 100);
        connect("iiko-token-busy", sim, Map.of());
        sim.tokenBusy(2, "1");

        SyncRun run = runner.run("iiko-token-busy", "test");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "iiko-token-busy")).isEqualTo(staged(sim.data().truth()));

        // a Retry-After no number holds: capped, so the run is not parked and nothing overflows
        connect("iiko-token-huge", sim, Map.of("runTimeoutSeconds", "3"));
        sim.tokenBusy(1, "99999999999999999999999999");
        SyncRun parked = runner.run("iiko-token-huge", "test");
        assertThat(parked.status()).as("held by the cap (600 s), so stopped by the run's time limit, not crashed")
                .isEqualTo(SyncRunStatus.FAILED);
        assertThat(parked.errorClass()).isEqualTo("RunTimedOut");
    }

    @Test
    void refusedApiLoginStopsTheConnection() {
        IikoSimulator sim = simulator(8, 50);
        connections.ensure(new ConnectionDefinition("iiko-login", "Partner", "iiko", NOVOSIBIRSK.getId(), false, TestConnections.NEVER,
                Map.of("baseUrl", sim.baseUrl(), "organizationId", sim.data().organizationId()), Map.of("apiLogin", "revoked-login")));

        SyncRun run = runner.run("iiko-login", "test");

        assertThat(run.status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);
        assertThat(run.errorMessage()).contains("apiLogin").contains("401")
                .as("iiko's answer echoes the login: it stays out").doesNotContain("revoked-login");
        assertThat(repository.find("iiko-login").orElseThrow().status()).isEqualTo(ConnectionStatus.CREDENTIALS_REJECTED);
        assertThat(repository.find("iiko-login").orElseThrow().statusMessage()).doesNotContain("revoked-login");
    }

    /** The newest closed orders: created within the look-back before any outage. */
    private static int[] lastCompleted(IikoDataSet data, int count) {
        int[] all = data.orders(Order::completed, Integer.MAX_VALUE);
        return java.util.Arrays.copyOfRange(all, all.length - count, all.length);
    }

    private String status(String connectionId, IikoDataSet organization, String orderId) {
        return jdbc.queryForObject("SELECT status FROM staging.sale WHERE connection_id = ? AND source_id = ?", String.class,
                connectionId, organization.organizationId() + ":" + orderId);
    }

    /** Moves one organization's saved revision back in time, as if the hub had not run since. */
    private void revisionSavedAt(String connectionId, IikoDataSet organization, Instant at) {
        jdbc.update("UPDATE ops.sync_cursor SET position = jsonb_set(position, ARRAY[?], to_jsonb(?::text)) "
                + "WHERE connection_id = ?", organization.organizationId() + ".revisionAt", at.toString(), connectionId);
    }

    private int voided(String connectionId) {
        return jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = ? AND status = 'VOID'", Integer.class, connectionId);
    }
}
