package ru.svoykrug.hub.loyalty;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.nightly.StagingFixture;
import ru.svoykrug.hub.sync.SyncRunStatus;
import ru.svoykrug.hub.sync.SyncRunner;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Points within minutes, between nights: two twin partners get the same sales, refunds and voids over
 * days; one of them has daytime passes after each "sync", the other none. The customer sees the daytime
 * points at once; after the nights both ledgers and lots are the same, entry for entry, and the daytime
 * rows of the covered days are gone.
 */
class DaytimePointsTest extends HubIntegrationTest {

    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Europe/Moscow"));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    ConnectionService connections;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    NightlyRuns runs;
    @Autowired
    DaytimePoints daytime;
    @Autowired
    ApplicationEventPublisher events;

    @Test
    void daytimePointsShowAtOnceAndTheNightAloneDecidesTheLedger() throws Exception {
        StagingFixture a = StagingFixture.partner(connections, jdbc, "dp-twin-a");
        StagingFixture b = StagingFixture.partner(connections, jdbc, "dp-twin-b");
        LocalDate d1 = TODAY.minusDays(9), d2 = TODAY.minusDays(8), d3 = TODAY.minusDays(7);
        for (StagingFixture f : List.of(a, b)) {
            f.customer("c", f == a ? "+79268880001" : "+79268880002");
            f.sale("c", d1, 1_000);                             // s1
        }
        night(d1);
        long customer = a.customerId("c");
        long pendingAfterNight = me(customer);

        // the day after: sales, a partial refund and a void, each "synced" (a daytime pass on twin a only)
        String s2 = a.sale("c", d2, 2_000);
        b.sale("c", d2, 2_000);
        String s3 = a.sale("c", d2, 500);
        b.sale("c", d2, 500);
        events.publishEvent(new SyncRunner.SyncCompleted("dp-twin-a", 0, SyncRunStatus.SUCCEEDED));
        long s2Points = daytimeOf("dp-twin-a", s2);
        assertThat(s2Points).as("the night's 5 %% of 2,000 roubles").isEqualTo(100);
        assertThat(me(customer)).as("pending points seen minutes after the sale").isEqualTo(pendingAfterNight + 100 + 25);

        a.refund(s2, d2, 500);
        b.refund(s2, d2, 500);
        a.setStatus(s3, "VOID");
        b.setStatus(s3, "VOID");
        String s4 = a.sale("c", d3, 3_000);
        b.sale("c", d3, 3_000);
        assertThat(daytime.post("dp-twin-a")).as("only what changed: s2 (refunded), s3 (void), s4").isEqualTo(3);
        assertThat(daytimeOf("dp-twin-a", s2)).isEqualTo(100 - 25);
        assertThat(daytimeOf("dp-twin-a", s3)).isZero();
        long s4Points = daytimeOf("dp-twin-a", s4);
        assertThat(daytime.post("dp-twin-a")).as("nothing changed since").isZero();
        assertThat(me(customer)).isEqualTo(pendingAfterNight + 75 + s4Points);

        night(d2);
        assertThat(jdbc.queryForList("SELECT source_id FROM core.points_daytime WHERE connection_id = 'dp-twin-a'", String.class))
                .as("the night covered d2; d3 is still ahead").containsExactly(s4);
        night(d3);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM core.points_daytime WHERE connection_id = 'dp-twin-a'", Integer.class))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT pending FROM core.points_lot WHERE connection_id = 'dp-twin-a' AND source_id = ?",
                Long.class, s4)).as("the daytime figure was the night's").isEqualTo(s4Points);

        assertThat(ledger("dp-twin-a")).isNotEmpty().isEqualTo(ledger("dp-twin-b"));
        assertThat(lots("dp-twin-a")).isEqualTo(lots("dp-twin-b"));
    }

    private void night(LocalDate day) {
        assertThat(runs.runAndWait(day, Duration.ofMinutes(5)).getStatus().name()).isEqualTo("COMPLETED");
    }

    private long daytimeOf(String connectionId, String sale) {
        return jdbc.queryForObject("SELECT pending FROM core.points_daytime WHERE connection_id = ? AND source_id = ?",
                Long.class, connectionId, sale);
    }

    private List<String> ledger(String connectionId) {
        return jdbc.queryForList("""
                SELECT concat_ws('|', entry_type, pending_delta, active_delta, effective_on, business_date, source_id, tier)
                  FROM core.points_ledger WHERE connection_id = ? ORDER BY source_id, id""", String.class, connectionId);
    }

    private List<String> lots(String connectionId) {
        return jdbc.queryForList("""
                SELECT concat_ws('|', source_id, earned, pending, active, reversed_target, consumed, earned_on, activates_on,
                                 activated, expires_on)
                  FROM core.points_lot WHERE connection_id = ? ORDER BY source_id""", String.class, connectionId);
    }

    private long me(long customer) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/v1/customers/me"))
                .header("Authorization", "Bearer " + TestTokens.customer(customer)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).at("/points/pending").asLong();
    }
}
