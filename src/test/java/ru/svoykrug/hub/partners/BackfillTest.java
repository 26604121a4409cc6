package ru.svoykrug.hub.partners;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.connect.SyncScenario;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static ru.svoykrug.hub.partners.PartnerApiClient.json;

/**
 * A backfill reads a connection's history again on cursors of its own: what staging lost comes back, and
 * the live sync's cursors stay exactly where they were.
 */
class BackfillTest extends SyncScenario {

    @LocalServerPort
    int port;

    private YclientsSimulator simulator(long seed, int port) {
        return started(YclientsSimulator.start(new YclientsDataSet(seed, 300, 0, ZoneId.of("Europe/Moscow")), port));
    }

    @Test
    void aBackfillRestoresWhatStagingLostWithoutMovingTheLiveCursors() {
        YclientsSimulator sim = simulator(61, 4101);
        connect(connection("yc-backfill", sim).settings("pageSize", "50", "historyFrom", "2015-01-01"));
        assertThat(sync("yc-backfill").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        Staged truth = Staged.of(sim.data().truth());
        assertThat(staged("yc-backfill")).isEqualTo(truth);

        // staging loses a third of the sales' amounts, as if an old version had been written over them
        int damaged = jdbc.update("""
                UPDATE staging.sale SET amount_kopecks = 1, source_changed_at = '2001-01-01T00:00:00Z'
                 WHERE connection_id = 'yc-backfill' AND source_id IN
                       (SELECT source_id FROM staging.sale WHERE connection_id = 'yc-backfill' ORDER BY source_id LIMIT 100)""");
        assertThat(damaged).isEqualTo(100);
        assertThat(sync("yc-backfill").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("yc-backfill")).as("an incremental sync reads only what changed lately").isNotEqualTo(truth);
        List<Map<String, Object>> live = cursors("yc-backfill");

        SyncRun backfill = runner.backfill("yc-backfill", Instant.parse("2015-01-01T00:00:00Z"));

        assertThat(backfill.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(backfill.trigger()).startsWith("backfill from 2015-01-01");
        assertThat(staged("yc-backfill")).isEqualTo(truth);
        List<Map<String, Object>> after = cursors("yc-backfill");
        assertThat(after.stream().filter(c -> !c.get("stream").toString().startsWith("backfill:")).toList())
                .as("the live cursors, position and version").isEqualTo(live);
        assertThat(after.stream().map(c -> c.get("stream").toString()).filter(s -> s.startsWith("backfill:")).toList())
                .as("a cursor of its own per stream").isNotEmpty();
        // a second backfill starts from the beginning again, not from where the first ended
        assertThat(runner.backfill("yc-backfill", Instant.parse("2015-01-01T00:00:00Z")).recordsRead())
                .isEqualTo(backfill.recordsRead());
        assertThat(sync("yc-backfill").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
    }

    @Test
    void theBackfillEndpointChecksItsWindowAndIsThePartnersOwn() {
        YclientsSimulator sim = simulator(62, 4102);
        connect(connection("yc-backfill-api", sim).settings("pageSize", "100", "historyFrom", "2015-01-01"));
        String partner = jdbc.queryForObject("SELECT partner_id FROM ops.partner_connection WHERE id = 'yc-backfill-api'", String.class);
        String path = "/api/v1/partners/" + partner + "/connections/yc-backfill-api/backfill";
        PartnerApiClient own = new PartnerApiClient(port, TestTokens.partner(partner));

        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of(), Map.of("from", "yesterday"),
                Map.of("from", "2026-13-01"), Map.of("from", "2015-01-01T00:00:00"), Map.of("from", "1999-12-31"),
                Map.of("from", Instant.now().plus(Duration.ofDays(2)).toString()),
                Map.of("from", "2020-01-01", "to", "2019-01-01"), Map.of("from", "2020-01-01", "to", "soon"))) {
            HttpResponse<String> answer = own.send("POST", path, bad);
            assertThat(answer.statusCode()).as("%s", bad).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        }
        assertThat(own.send("POST", path, "{not json").statusCode()).isEqualTo(400);
        assertThat(new PartnerApiClient(port, TestTokens.partner("someone-else")).send("POST", path,
                Map.of("from", "2015-01-01")).statusCode()).isEqualTo(403);
        assertThat(new PartnerApiClient(port, TestTokens.customer(1)).send("POST", path,
                Map.of("from", "2015-01-01")).statusCode()).isEqualTo(403);
        assertThat(cursors("yc-backfill-api")).as("nothing ran on a refused request").isEmpty();

        HttpResponse<String> accepted = own.send("POST", path, Map.of("from", "2015-01-01", "to", "2020-01-01"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(json(accepted).path("from").asString()).isEqualTo("2014-12-31T21:00:00Z");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "SELECT status FROM ops.sync_run WHERE connection_id = 'yc-backfill-api' AND trigger LIKE 'backfill%'", String.class))
                .containsExactly("SUCCEEDED"));
        assertThat(staged("yc-backfill-api")).isEqualTo(Staged.of(sim.data().truth()));
        assertThat(cursors("yc-backfill-api")).extracting(c -> c.get("stream").toString()).allMatch(s -> s.startsWith("backfill:"));
    }
}
