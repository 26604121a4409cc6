package ru.svoykrug.hub.connect.amocrm;

import ru.svoykrug.hub.privacy.StoredPersonalData;
import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.connect.SyncScenario;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.simulate.amocrm.AmocrmDataSet;
import ru.svoykrug.hub.simulate.amocrm.AmocrmSimulator;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.time.Duration;
import java.util.Comparator;
import java.util.stream.IntStream;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
/** The amoCRM connector against its simulator: real HTTP, real PostgreSQL, the real route template. */
class AmocrmSyncTest extends SyncScenario {

    private AmocrmSimulator simulator(long seed, int leads) {
        return started(AmocrmSimulator.start(new AmocrmDataSet(seed, leads)));
    }


    @Test
    void fullAndIncrementalSyncEqualTheAccountExactly() {
        AmocrmSimulator sim = simulator(1, 1300);
        AmocrmDataSet data = sim.data();
        connect(connection("amo-full", sim).settings("pageSize", "250"));

        SyncRun full = sync("amo-full");

        assertThat(full.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("amo-full")).isEqualTo(Staged.of(data.truth()));
        assertThat(full.recordsRead()).isEqualTo(data.contactCount() + data.leadCount());
        // phones typed four ways arrive as E.164; a contact whose custom_fields_values is null has none
        assertThat(StoredPersonalData.phones(jdbc, "SELECT phone_sealed FROM staging.customer WHERE connection_id = 'amo-full' "
                + "AND source_id IN ('1','2','3','4')")).hasSize(4).allMatch(p -> p.matches("\\+79\\d{9}"));
        assertThat(StoredPersonalData.phone(jdbc, "SELECT phone_sealed FROM staging.customer WHERE connection_id = 'amo-full' AND source_id = '10'")).isNull();
        // a deleted lead is known only as a void sale
        assertThat(status("amo-full", 17)).isEqualTo("VOID");

        int[] won = data.leads(l -> l.won(), 3);
        int[] open = data.leads(l -> l.status() != AmocrmDataSet.WON && l.status() != AmocrmDataSet.LOST && !l.deleted(), 1);
        data.setStatus(won[0], AmocrmDataSet.LOST);
        data.setStatus(won[1], 10_001);
        data.delete(won[2]);
        data.setStatus(open[0], AmocrmDataSet.WON);
        int added = data.addWonLead(5, 12_345);
        data.renameContact(7, "Контакт семь");
        sim.resetCounters();

        SyncRun incremental = sync("amo-full");

        assertThat(incremental.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("amo-full")).isEqualTo(Staged.of(data.truth()));
        assertThat(sim.itemsServed()).as("what changed (5 leads, one of them deleted, and a contact) plus the newest item of each stream, "
                + "re-read in the overlap window").isEqualTo(6 + 3);
        assertThat(status("amo-full", won[0])).isEqualTo("VOID");
        assertThat(status("amo-full", won[1])).isEqualTo("PENDING");
        assertThat(status("amo-full", won[2])).isEqualTo("VOID");
        assertThat(status("amo-full", open[0])).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForObject("SELECT amount_kopecks FROM staging.sale WHERE connection_id = 'amo-full' AND source_id = ?",
                Long.class, Integer.toString(added))).isEqualTo(1_234_500L);
        assertThat(jdbc.queryForObject("SELECT customer_source_id FROM staging.sale WHERE connection_id = 'amo-full' AND source_id = ?",
                String.class, Integer.toString(added))).isEqualTo("5");
        assertThat(StoredPersonalData.name(jdbc, "amo-full", "7")).isEqualTo("Контакт семь");

        SyncRun again = sync("amo-full");
        assertThat(again.recordsWritten()).as("re-reading the overlap changes nothing").isZero();
        assertThat(staged("amo-full")).isEqualTo(Staged.of(data.truth()));
    }

    @Test
    void runThatDiesMidwayResumesWithoutLossOrDuplicates() {
        AmocrmSimulator sim = simulator(2, 1500);
        connect(connection("amo-crash", sim).settings("pageSize", "100"));
        faults.crashAfterPages("amo-crash", "leads", 4);

        SyncRun crashed = sync("amo-crash");
        assertThat(crashed.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(jdbc.queryForObject("SELECT position->>'page' FROM ops.sync_cursor WHERE connection_id = 'amo-crash' "
                + "AND stream = 'leads'", String.class)).isEqualTo("5");

        SyncRun resumed = sync("amo-crash");

        assertThat(resumed.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("amo-crash")).isEqualTo(Staged.of(sim.data().truth()));
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT source_id) = count(*) FROM staging.sale WHERE connection_id = 'amo-crash'",
                Boolean.class)).isTrue();
    }

    @Test
    void aLeadChangedMidRunOnAPageAlreadyReadMakesTheNextRunReadAgainTheLeadItPushedPast() {
        AmocrmSimulator sim = simulator(11, 1000);
        AmocrmDataSet data = sim.data();
        connect(connection("amo-shift", sim).settings("pageSize", "100"));
        // the lead listed first (oldest change), edited by a user once the hub has read two pages
        int first = IntStream.of(data.leads(l -> !l.deleted(), Integer.MAX_VALUE)).boxed()
                .min(Comparator.comparingLong((Integer id) -> data.lead(id).updatedAt()).thenComparing(id -> id)).orElseThrow();
        int firstStatus = data.lead(first).status();
        data.changeAfterPage("leads", 2, () -> data.setStatus(first, firstStatus == AmocrmDataSet.LOST ? AmocrmDataSet.WON : AmocrmDataSet.LOST));

        SyncRun full = sync("amo-shift");

        assertThat(full.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'amo-shift'", Integer.class))
                .as("amoCRM moved the edited lead to the end of its listing; the lead that was first on page 3 slid onto page 2, "
                        + "already read, so this run never saw it")
                .isEqualTo(data.leadCount() - 1);

        SyncRun next = sync("amo-shift");

        assertThat(next.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("amo-shift")).as("the next run read again from the edited lead's first sighting")
                .isEqualTo(Staged.of(data.truth()));
    }

    @Test
    void accessTokenThatExpiresDuringALongSyncIsRenewedAndTheSyncCompletes() {
        AmocrmSimulator sim = simulator(5, 2500);
        sim.accessTokenTtl(Duration.ofSeconds(3));
        connect(connection("amo-expiry", sim).settings("pageSize", "100"));
        sim.expireAccessTokensAfterRequests(6); // and one expiry the hub cannot see coming: a 401 mid-sync

        SyncRun run = sync("amo-expiry");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("amo-expiry")).isEqualTo(Staged.of(sim.data().truth()));
        assertThat(sim.unauthorized()).as("the unforeseen expiry").isGreaterThanOrEqualTo(1);
        assertThat(sim.refreshes()).as("renewed ahead of expiry as well as after the 401").isGreaterThanOrEqualTo(3);
        assertThat(repository.find("amo-expiry").orElseThrow().status()).isEqualTo(ConnectionStatus.ACTIVE);
    }

    @Test
    void longLivedTokenIsUsedAsItIsAndAnEmptyListingEndsOn204() {
        AmocrmSimulator sim = simulator(8, 16); // too few leads for one to be deleted
        connect(connection("amo-long", sim).settings("pageSize", "100", "overlapMinutes", "0")
                .credentials(Map.of("longLivedToken", AmocrmSimulator.LONG_LIVED_TOKEN)));

        SyncRun run = sync("amo-long");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("amo-long")).isEqualTo(Staged.of(sim.data().truth()));
        assertThat(sim.refreshes()).isZero();
        assertThat(sim.noContent()).as("the empty deleted_leads listing answered 204 with no body").isEqualTo(1);
        assertThat(sim.requests()).as("one page per stream").isEqualTo(3);
    }

    @Test
    void stormOf429IsRiddenOutUnderSevenCallsASecondWithoutEverBeingBlocked() {
        AmocrmSimulator sim = simulator(9, 2000);
        sim.retryAfterSeconds(1);
        sim.strikesBeforeBlock(1); // the strictest account: a single call during retry_after blocks the IP
        connect(connection("amo-storm", sim).settings("pageSize", "100"));
        sim.storm429(5);

        SyncRun run = sync("amo-storm");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(sim.tooManyRequests()).isGreaterThanOrEqualTo(5);
        assertThat(sim.forbidden()).isZero();
        assertThat(sim.strikes()).as("calls during a retry_after").isZero();
        assertThat(sim.maxRequestsInAnySecond()).isLessThanOrEqualTo(7);
        assertThat(staged("amo-storm")).isEqualTo(Staged.of(sim.data().truth()));
    }

    @Test
    void aBlockedIpEndsTheRunPausedInsteadOfKnockingAgain() {
        AmocrmSimulator sim = simulator(10, 300);
        sim.retryAfterSeconds(1);
        sim.strikesBeforeBlock(1);
        connect(connection("amo-blocked", sim).settings("pageSize", "100", "requestsPerSecond", "7")
                .credentials(Map.of("longLivedToken", AmocrmSimulator.LONG_LIVED_TOKEN)));
        sim.blockNow();

        SyncRun run = sync("amo-blocked");

        assertThat(run.status()).isEqualTo(SyncRunStatus.PARTIAL);
        assertThat(run.errorMessage()).contains("403");
        assertThat(sim.forbidden()).as("each stream learns it from the first 403 and stops").isLessThanOrEqualTo(3);
        assertThat(repository.find("amo-blocked").orElseThrow().status()).isEqualTo(ConnectionStatus.ACTIVE);
    }

    private String status(String connectionId, int leadId) {
        return saleStatus(connectionId, Integer.toString(leadId));
    }
}
