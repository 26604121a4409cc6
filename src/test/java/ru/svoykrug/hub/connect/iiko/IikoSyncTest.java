// Over 300 lines because iiko has the most ways through a sync (revisions, the fallback by delivery date and its
// gap, several organizations, tokens), each one scenario here, sharing the cursor and status helpers at the end.
package ru.svoykrug.hub.connect.iiko;

import ru.svoykrug.hub.privacy.StoredPersonalData;
import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.connect.SyncScenario;
import ru.svoykrug.hub.connect.TestConnection;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.simulate.iiko.IikoDataSet.Order;
import ru.svoykrug.hub.simulate.iiko.IikoDataSet;
import ru.svoykrug.hub.simulate.iiko.IikoSimulator;
import ru.svoykrug.hub.simulate.iiko.IikoTruth;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The iiko connector against its simulator: real HTTP, real PostgreSQL, the real route template. */
class IikoSyncTest extends SyncScenario {

    private static final ZoneId NOVOSIBIRSK = ZoneId.of("Asia/Novosibirsk");

    private IikoSimulator simulator(long seed, int orders) {
        return started(IikoSimulator.start(new IikoDataSet(seed, orders, NOVOSIBIRSK)));
    }

    /** A connection of a restaurant in Novosibirsk, as its terminals' times are. */
    private TestConnection restaurant(String id, IikoSimulator sim) {
        return connection(id, sim).zone(NOVOSIBIRSK);
    }

    private void connect(String id, IikoSimulator sim, Map<String, String> extraSettings) {
        connect(restaurant(id, sim).settings(extraSettings));
    }

    @Test
    void fullAndIncrementalSyncEqualTheOrganizationExactly() {
        IikoSimulator sim = simulator(1, 1400);
        IikoDataSet data = sim.data();
        connect("iiko-full", sim, Map.of());

        SyncRun full = sync("iiko-full");

        assertThat(full.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("iiko-full")).isEqualTo(Staged.of(data.truth()));
        assertThat(voided("iiko-full")).isEqualTo(data.truth().voidSales());
        assertThat(full.notes()).as("a first sync is no fallback").isNull();
        // terminal-local times become UTC instants, the zone kept beside them
        int closed = data.orders(Order::completed, 1)[0];
        Order o = data.order(closed);
        Map<String, Object> row = jdbc.queryForMap("SELECT occurred_at, zone, phone_sealed, amount_kopecks FROM staging.sale "
                + "WHERE connection_id = 'iiko-full' AND source_id = ?", data.organizationId() + ":" + o.id());
        assertThat(((java.sql.Timestamp) row.get("occurred_at")).toInstant()).isEqualTo(o.closed().truncatedTo(ChronoUnit.MILLIS));
        assertThat(row.get("zone")).isEqualTo("Asia/Novosibirsk");
        assertThat(row.get("amount_kopecks")).isEqualTo(o.kopecks());
        assertThat(StoredPersonalData.openPhone((byte[]) row.get("phone_sealed"))).matches("\\+79\\d{9}");

        int[] completed = data.orders(Order::completed, 2);
        int[] underWay = data.orders(x -> !x.completed() && !x.status().equals("Cancelled"), 1);
        data.cancel(completed[0]);
        data.cancel(completed[1]);
        data.close(underWay[0]);
        int added = data.addClosed(456_780);
        sim.resetCounters();

        SyncRun incremental = sync("iiko-full");

        assertThat(incremental.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("iiko-full")).isEqualTo(Staged.of(data.truth()));
        assertThat(sim.byDateCalls()).as("an incremental sync goes by revision").isZero();
        assertThat(sim.ordersServed()).as("only the four changed orders").isEqualTo(4);
        assertThat(status("iiko-full", data, data.id(completed[0]))).isEqualTo("VOID");
        assertThat(status("iiko-full", data, data.id(completed[1]))).isEqualTo("VOID");
        assertThat(status("iiko-full", data, data.id(underWay[0]))).isEqualTo("COMPLETED");
        assertThat(status("iiko-full", data, data.id(added))).isEqualTo("COMPLETED");

        SyncRun again = sync("iiko-full");
        assertThat(again.recordsWritten()).isZero();
        assertThat(staged("iiko-full")).isEqualTo(Staged.of(data.truth()));
    }

    @Test
    void runThatDiesMidwayResumesWithoutLossOrDuplicates() {
        IikoSimulator sim = simulator(2, 1500);
        connect("iiko-crash", sim, Map.of());
        faults.crashAfterPages("iiko-crash", "deliveries", 3); // three days of the first week are in

        SyncRun crashed = sync("iiko-crash");
        assertThat(crashed.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(jdbc.queryForObject("SELECT position->>? FROM ops.sync_cursor WHERE connection_id = 'iiko-crash'",
                String.class, sim.data().organizationId() + ".windowNext")).isNotNull();
        long stagedAtCrash = jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'iiko-crash'", Long.class);
        sim.resetCounters();

        SyncRun resumed = sync("iiko-crash");

        assertThat(resumed.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("iiko-crash")).isEqualTo(Staged.of(sim.data().truth()));
        assertThat(sim.ordersServed()).as("the resumed run reads only the days not yet in")
                .isEqualTo(sim.data().truth().saleRows() - stagedAtCrash);
    }

    @Test
    void tokenThatExpiresDuringALongSyncIsRenewedAndTheSyncCompletes() {
        IikoSimulator sim = simulator(3, 2000);
        sim.tokenTtl(Duration.ofMillis(1500)); // the hub believes in iiko's hour; the simulator cuts it short
        connect("iiko-expiry", sim, Map.of("chunkMinutes", "240", "requestsPerSecond", "5"));

        SyncRun run = sync("iiko-expiry");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("iiko-expiry")).isEqualTo(Staged.of(sim.data().truth()));
        assertThat(sim.unauthorized()).isGreaterThanOrEqualTo(1);
        assertThat(sim.tokensIssued()).isEqualTo(1 + sim.unauthorized());
    }

    @Test
    void timeoutsOfIikoItselfAreRetried() {
        IikoSimulator sim = simulator(4, 400);
        connect("iiko-408", sim, Map.of());
        sim.timeout408(3);

        SyncRun run = sync("iiko-408");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(sim.timeoutsServed()).isEqualTo(3);
        assertThat(staged("iiko-408")).isEqualTo(Staged.of(sim.data().truth()));
    }

    @Test
    void outageLongerThanThreeHoursIsFilledByDeliveryDateAndTheRunSaysSo() {
        IikoSimulator sim = simulator(5, 1200);
        IikoDataSet data = sim.data();
        connect("iiko-outage", sim, Map.of());
        assertThat(sync("iiko-outage").status()).isEqualTo(SyncRunStatus.SUCCEEDED);

        int[] recent = lastCompleted(data, 2);
        data.cancel(recent[0]);
        int added = data.addClosed(99_990);
        // the hub was away four hours: its saved revision and iiko's change log both aged that much
        data.age(Duration.ofHours(4));
        revisionSavedAt("iiko-outage", data, Instant.now().minus(Duration.ofHours(4)));
        sim.resetCounters();

        SyncRun run = sync("iiko-outage");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(run.notes()).contains("iiko fallback").contains("older than iiko accepts").doesNotContain("gap NOT read");
        assertThat(sim.revisionRefused()).as("the hub knew its revision was too old without asking").isZero();
        assertThat(sim.byDateCalls()).isPositive();
        assertThat(staged("iiko-outage")).isEqualTo(Staged.of(data.truth()));
        assertThat(status("iiko-outage", data, data.id(recent[0]))).isEqualTo("VOID");
        assertThat(status("iiko-outage", data, data.id(added))).isEqualTo("COMPLETED");

        data.cancel(recent[1]);
        SyncRun after = sync("iiko-outage");
        assertThat(after.notes()).as("back on revisions").isNull();
        assertThat(status("iiko-outage", data, data.id(recent[1]))).isEqualTo("VOID");
    }

    @Test
    void revisionThatIikoRefusesAsTooOldFallsBackWithinTheSameRun() {
        IikoSimulator sim = simulator(6, 1000);
        IikoDataSet data = sim.data();
        connect("iiko-refused", sim, Map.of());
        assertThat(sync("iiko-refused").status()).isEqualTo(SyncRunStatus.SUCCEEDED);

        int[] recent = lastCompleted(data, 1);
        data.cancel(recent[0]);
        data.addClosed(10_000);
        data.age(Duration.ofHours(4)); // iiko's clock says so; the hub's cursor thinks it is fresh

        SyncRun run = sync("iiko-refused");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(sim.revisionRefused()).isEqualTo(1);
        assertThat(run.notes()).contains("iiko fallback").contains("refused the saved revision");
        assertThat(staged("iiko-refused")).isEqualTo(Staged.of(data.truth()));
        assertThat(status("iiko-refused", data, data.id(recent[0]))).isEqualTo("VOID");
    }

    @Test
    void gapOlderThanSevenDaysIsReportedNotHidden() {
        IikoSimulator sim = simulator(7, 600);
        IikoDataSet data = sim.data();
        connect("iiko-gap", sim, Map.of());
        assertThat(sync("iiko-gap").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        int added = data.addClosed(5_000);
        revisionSavedAt("iiko-gap", data, Instant.now().minus(Duration.ofDays(9)));

        SyncRun run = sync("iiko-gap");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(run.notes()).contains("iiko fallback").contains("gap NOT read").contains("7 days");
        assertThat(status("iiko-gap", data, data.id(added))).isEqualTo("COMPLETED");
        assertThat(staged("iiko-gap")).isEqualTo(Staged.of(data.truth()));
    }

    @Test
    void oneConnectionReadsEveryOrganizationOfTheLoginEachFromItsOwnRevision() {
        // two restaurants whose order ids collide: only the organization tells their sales apart
        IikoSimulator sim = started(IikoSimulator.start(new IikoDataSet(21, 300, NOVOSIBIRSK),
                new IikoDataSet(22, 200, NOVOSIBIRSK, 21)));
        IikoDataSet first = sim.organizations().get(0);
        IikoDataSet second = sim.organizations().get(1);
        assertThat(second.id(1)).isEqualTo(first.id(1));
        connect(restaurant("iiko-orgs", sim).withoutSetting("organizationId"));

        SyncRun full = sync("iiko-orgs");

        assertThat(full.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("iiko-orgs")).isEqualTo(Staged.of(sum(first.truth(), second.truth())));
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

        SyncRun next = sync("iiko-orgs");

        assertThat(next.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(next.notes()).as("the fallback names its organization, and only that one")
                .contains("iiko fallback").contains(second.organizationId()).doesNotContain(first.organizationId());
        assertThat(staged("iiko-orgs")).isEqualTo(Staged.of(sum(first.truth(), second.truth())));
        assertThat(status("iiko-orgs", second, second.id(closedInSecond[0]))).isEqualTo("VOID");
        assertThat(status("iiko-orgs", first, first.id(closedInSecond[0]))).isEqualTo(statusOf(first.order(closedInSecond[0])));
        assertThat(status("iiko-orgs", first, first.id(added))).isEqualTo("COMPLETED");
    }

    @Test
    void organizationIdsNameTheRestaurantsToRead() {
        IikoSimulator sim = started(IikoSimulator.start(new IikoDataSet(23, 120, NOVOSIBIRSK), new IikoDataSet(24, 80, NOVOSIBIRSK),
                new IikoDataSet(25, 60, NOVOSIBIRSK)));
        List<IikoDataSet> orgs = sim.organizations();
        connect("iiko-listed", sim, Map.of("organizationIds", orgs.get(1).organizationId() + ", " + orgs.get(2).organizationId()));

        SyncRun run = sync("iiko-listed");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("iiko-listed")).as("the legacy organizationId counts too")
                .isEqualTo(Staged.of(sum(sum(orgs.get(0).truth(), orgs.get(1).truth()), orgs.get(2).truth())));

        connect(restaurant("iiko-listed-2", sim).withoutSetting("organizationId")
                .settings("organizationIds[0]", orgs.get(2).organizationId()));
        assertThat(sync("iiko-listed-2").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("iiko-listed-2")).isEqualTo(Staged.of(orgs.get(2).truth()));
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

        SyncRun run = sync("iiko-token-busy");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("iiko-token-busy")).isEqualTo(Staged.of(sim.data().truth()));

        // a Retry-After no number holds: capped, so the run is not parked and nothing overflows
        connect("iiko-token-huge", sim, Map.of("runTimeoutSeconds", "3"));
        sim.tokenBusy(1, "99999999999999999999999999");
        SyncRun parked = sync("iiko-token-huge");
        assertThat(parked.status()).as("held by the cap (600 s), so stopped by the run's time limit, not crashed")
                .isEqualTo(SyncRunStatus.FAILED);
        assertThat(parked.errorClass()).isEqualTo("RunTimedOut");
    }

    @Test
    void refusedApiLoginStopsTheConnection() {
        IikoSimulator sim = simulator(8, 50);
        connect(restaurant("iiko-login", sim).credential("apiLogin", "revoked-login"));

        SyncRun run = sync("iiko-login");

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
        return saleStatus(connectionId, organization.organizationId() + ":" + orderId);
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
