package ru.svoykrug.hub.connect.yclients;

import ru.svoykrug.hub.privacy.StoredPersonalData;
import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.connect.SyncScenario;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import ru.svoykrug.hub.simulate.yclients.YclientsTruth;
import ru.svoykrug.hub.sync.ConnectionNotActiveException;
import ru.svoykrug.hub.sync.SyncAlreadyRunningException;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ru.svoykrug.hub.connect.TestConnections.yclients;

/** The YCLIENTS connector against the simulator: real HTTP, real PostgreSQL, the real route template. */
class YclientsSyncTest extends SyncScenario {

    private int companies;

    private YclientsSimulator simulator(long seed, int records, int malformedEvery) {
        return started(YclientsSimulator.start(
                new YclientsDataSet(seed, records, malformedEvery, ZoneId.of("Europe/Moscow")), 4000 + companies++));
    }

    @Test
    void aLoginAndPasswordAreExchangedOnceForTheUserTokenWhichIsStoredEncrypted() {
        YclientsSimulator sim = simulator(21, 300, 0);
        connect(connection("yc-login", sim).settings("pageSize", "100", "historyFrom", "2015-01-01T00:00:00+03:00")
                .withoutCredential("userToken").credential("login", YclientsSimulator.LOGIN)
                .credential("password", YclientsSimulator.PASSWORD));

        SyncRun first = sync("yc-login");

        assertThat(first.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("yc-login")).isEqualTo(Staged.of(sim.data().truth()));
        assertThat(sim.logins()).as("three streams, one login").isEqualTo(1);
        Map<String, String> stored = repository.credentials("yc-login");
        assertThat(stored.get("userToken")).isEqualTo(YclientsSimulator.USER_TOKEN);
        assertThat(stored).as("the password is not kept once the token is").doesNotContainKey("password");
        byte[] blob = jdbc.queryForObject("SELECT credentials FROM ops.partner_connection WHERE id = 'yc-login'", byte[].class);
        assertThat(new String(blob, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(YclientsSimulator.USER_TOKEN);

        assertThat(sync("yc-login").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(sim.logins()).as("the stored token is used from then on").isEqualTo(1);
    }

    @Test
    void aWrongPasswordStopsTheConnectionWithoutRepeatingAnything() {
        YclientsSimulator sim = simulator(22, 50, 0);
        connect(connection("yc-bad-login", sim).withoutCredential("userToken").credential("login", YclientsSimulator.LOGIN)
                .credential("password", "wrong-password"));

        SyncRun run = sync("yc-bad-login");

        assertThat(run.status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);
        assertThat(run.errorMessage()).contains("login and password").doesNotContain("wrong-password").doesNotContain("Неверный");
    }

    @Test
    void fullSyncStagesExactlyWhatTheCompanyHas() {
        YclientsSimulator sim = simulator(1, 700, 0);
        connect(yclients("yc-full", sim, 200));

        SyncRun run = sync("yc-full");

        YclientsTruth truth = sim.data().truth();
        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("yc-full")).isEqualTo(Staged.of(truth));
        assertThat(run.recordsRead()).isEqualTo(truth.customers() + 700 + 350);
        assertThat(run.recordsRejected()).isZero();
        // phones typed four ways by the partner arrive as E.164; "no phone" stays empty
        assertThat(StoredPersonalData.phone(jdbc, "SELECT phone_sealed FROM staging.customer WHERE connection_id = 'yc-full' AND source_id = '4'")).isEqualTo("+79140031676");
        assertThat(StoredPersonalData.phones(jdbc, "SELECT phone_sealed FROM staging.customer WHERE connection_id = 'yc-full' AND source_id IN ('1','2','3','4')")).allMatch(p -> p.matches("\\+79\\d{9}"));
        assertThat(StoredPersonalData.phone(jdbc, "SELECT phone_sealed FROM staging.customer WHERE connection_id = 'yc-full' AND source_id = '9'")).isNull();
        // a sale without a client keeps no customer and no phone
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'yc-full' AND customer_source_id IS NULL",
                Integer.class)).isPositive();
    }

    @Test
    void secondSyncFetchesOnlyWhatChangedAndEndsRight() {
        YclientsSimulator sim = simulator(2, 700, 0);
        YclientsDataSet data = sim.data();
        connect(yclients("yc-incr", sim, 200));
        assertThat(sync("yc-incr").status()).isEqualTo(SyncRunStatus.SUCCEEDED);

        Instant now = Instant.now();
        List<Integer> completed = data.records(v -> v.attendance() == 1 && !v.deleted(), 3);
        int deleted = completed.get(0), noShow = completed.get(1), refunded = completed.get(2);
        data.deleteRecord(deleted, now);
        data.setAttendance(noShow, -1, now);
        int refund = data.refund(refunded, 30_000, now);
        int added = data.addRecord(5, 123_450, now);
        data.renameClient(7, "Клиентка 7", now);
        sim.resetCounters();

        SyncRun second = sync("yc-incr");

        assertThat(second.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        // five changed items, plus the newest item of each stream re-read in the overlap window
        assertThat(sim.itemsServed()).isEqualTo(5 + 3);
        assertThat(staged("yc-incr")).isEqualTo(Staged.of(data.truth()));
        assertThat(status("yc-incr", deleted)).isEqualTo("VOID");
        assertThat(status("yc-incr", noShow)).isEqualTo("NO_SHOW");
        assertThat(status("yc-incr", added)).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForObject("SELECT amount_kopecks FROM staging.payment WHERE connection_id = 'yc-incr' AND source_id = ?",
                Long.class, Integer.toString(refund))).isEqualTo(-30_000L);
        assertThat(jdbc.queryForObject("SELECT sale_source_id FROM staging.payment WHERE connection_id = 'yc-incr' AND source_id = ?",
                String.class, Integer.toString(refund))).isEqualTo(Integer.toString(refunded));
        assertThat(StoredPersonalData.name(jdbc, "yc-incr", "7")).isEqualTo("Клиентка 7");

        SyncRun third = sync("yc-incr");
        assertThat(third.recordsWritten()).as("re-reading the overlap changes nothing").isZero();
        assertThat(staged("yc-incr")).isEqualTo(Staged.of(data.truth()));
    }

    @Test
    void runThatDiesMidwayIsResumedWithoutLossOrDuplicates() {
        YclientsSimulator sim = simulator(3, 900, 0);
        connect(yclients("yc-crash", sim, 100));
        faults.crashAfterPages("yc-crash", "records", 3); // the records route dies after its third page

        SyncRun crashed = sync("yc-crash");
        assertThat(crashed.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(crashed.errorMessage()).startsWith("records: route died after page 3 of records");
        Map<String, Object> cursor = jdbc.queryForMap(
                "SELECT position->>'inProgress' AS in_progress, position->>'page' AS page FROM ops.sync_cursor "
                        + "WHERE connection_id = 'yc-crash' AND stream = 'records'");
        assertThat(cursor).containsEntry("in_progress", "true").containsEntry("page", "4");

        sim.resetCounters();
        SyncRun resumed = sync("yc-crash");

        YclientsTruth truth = sim.data().truth();
        assertThat(resumed.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("yc-crash")).isEqualTo(Staged.of(truth));
        // records resumed one page before the last committed one (page 3 of 9, so 700 records);
        // clients and transactions had finished and re-read only their overlap window (one item each)
        assertThat(sim.itemsServed()).isEqualTo(700 + 1 + 1);
    }

    @Test
    void stormOf429IsRiddenOutWithoutEverExceedingTheLimit() {
        YclientsSimulator sim = simulator(4, 1200, 0);
        connect(yclients("yc-storm", sim, 100));
        sim.storm429(6, 1);
        sim.fail5xx(0);

        SyncRun run = sync("yc-storm");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(sim.tooManyRequests()).isGreaterThanOrEqualTo(6);
        assertThat(sim.maxRequestsInAnySecond()).isLessThanOrEqualTo(5);
        assertThat(staged("yc-storm")).isEqualTo(Staged.of(sim.data().truth()));
    }

    @Test
    void serverErrorsAreRetried() {
        YclientsSimulator sim = simulator(5, 300, 0);
        connect(yclients("yc-5xx", sim, 100));
        sim.fail5xx(3);

        SyncRun run = sync("yc-5xx");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("yc-5xx")).isEqualTo(Staged.of(sim.data().truth()));
    }

    @Test
    void malformedRecordsGoToDeadLettersWithTheirReasonAndTheRestLands() {
        YclientsSimulator sim = simulator(6, 600, 11);
        connect(yclients("yc-bad", sim, 200));

        SyncRun run = sync("yc-bad");

        YclientsTruth truth = sim.data().truth();
        assertThat(truth.rejectedCount()).isGreaterThan(20);
        assertThat(run.status()).isEqualTo(SyncRunStatus.PARTIAL);
        assertThat(run.recordsRejected()).isEqualTo(truth.rejectedCount());
        assertThat(staged("yc-bad")).isEqualTo(Staged.of(truth));
        for (Map.Entry<String, List<String>> stream : truth.rejected().entrySet()) {
            List<String> deadIds = jdbc.queryForList("SELECT source_id FROM ops.dead_letter WHERE connection_id = 'yc-bad' "
                    + "AND stream = ? ORDER BY id", String.class, stream.getKey());
            assertThat(deadIds).containsExactlyInAnyOrderElementsOf(stream.getValue());
        }
        List<String> reasons = jdbc.queryForList("SELECT DISTINCT reason FROM ops.dead_letter WHERE connection_id = 'yc-bad'", String.class);
        assertThat(reasons).containsExactlyInAnyOrder("datetime is not a date-time YCLIENTS sends",
                "services[].cost is not an amount", "attendance is not a value YCLIENTS defines", "id is missing",
                "amount is not an amount", "date is not a date-time YCLIENTS sends");
        // the failing fields and the reason, never a value of the record (a name, a phone, a title)
        assertThat(jdbc.queryForList("SELECT DISTINCT fields FROM ops.dead_letter WHERE connection_id = 'yc-bad'", String.class))
                .containsExactlyInAnyOrder("datetime", "services[].cost", "attendance", "id", "amount", "date");
        assertThat(jdbc.queryForList("SELECT d::text FROM ops.dead_letter d WHERE connection_id = 'yc-bad'", String.class))
                .noneMatch(row -> row.contains("бесплатно") || row.contains("Клиент") || row.contains("+7") || row.contains("2025-13-45"));
    }

    @Test
    void rejectedCredentialsStopThatConnectionOnlyAndTouchNothing() {
        YclientsSimulator revoked = simulator(7, 300, 0);
        YclientsSimulator healthy = simulator(8, 300, 0);
        connect(yclients("yc-revoked", revoked, 100));
        connect(yclients("yc-healthy", healthy, 100));
        assertThat(sync("yc-revoked").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        Staged before = staged("yc-revoked");
        List<Map<String, Object>> cursorsBefore = cursors("yc-revoked");

        revoked.acceptUserToken("a-token-the-hub-does-not-have");
        revoked.data().deleteRecord(1, Instant.now());
        SyncRun rejected = sync("yc-revoked");

        assertThat(rejected.status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);
        assertThat(rejected.errorMessage()).contains("401").as("the vendor's answer stays out")
                .doesNotContain("Необходима").doesNotContain("success");
        assertThat(repository.find("yc-revoked").orElseThrow().status()).isEqualTo(ConnectionStatus.CREDENTIALS_REJECTED);
        assertThat(repository.find("yc-revoked").orElseThrow().statusMessage()).doesNotContain("Необходима");
        assertThat(staged("yc-revoked")).isEqualTo(before);
        assertThat(cursors("yc-revoked")).isEqualTo(cursorsBefore);
        assertThatThrownBy(() -> sync("yc-revoked")).isInstanceOf(ConnectionNotActiveException.class);

        SyncRun other = sync("yc-healthy");
        assertThat(other.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("yc-healthy")).isEqualTo(Staged.of(healthy.data().truth()));
    }

    @Test
    void oneConnectionNeverRunsTwiceAtOnce() throws Exception {
        YclientsSimulator sim = simulator(9, 300, 0);
        connect(yclients("yc-once", sim, 100));
        sim.storm429(2, 2); // keeps the first run busy for a few seconds

        CompletableFuture<SyncRun> first = CompletableFuture.supplyAsync(() -> sync("yc-once"));
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> sim.requests() > 0);
        assertThatThrownBy(() -> sync("yc-once")).isInstanceOf(SyncAlreadyRunningException.class);

        assertThat(first.get(60, TimeUnit.SECONDS).status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ops.sync_run WHERE connection_id = 'yc-once'", Integer.class)).isEqualTo(1);
    }

    private String status(String connectionId, int recordId) {
        return saleStatus(connectionId, Integer.toString(recordId));
    }
}
