package ru.svoykrug.hub.webhooks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The freshness path end to end, once: a sale created in the simulator, its webhook, the sync it starts,
 * and the pending points in the customer API within a minute, before any night.
 */
class FreshnessTest extends HubIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    NightlyRuns nights;

    private YclientsSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) sim.close();
    }

    @Test
    void aSaleInTheSimulatorShowsAsPendingPointsWithinAMinuteOfItsWebhook() throws Exception {
        sim = YclientsSimulator.start(YclientsDataSet.of(51, 60), 4564);
        String token = TestTokens.partner("fresh");
        String base = "http://localhost:" + port + "/api/v1/partners/fresh/connections";
        assertThat(send("POST", base, JSON.writeValueAsString(Map.of("id", "fresh-yclients", "system", "yclients",
                "schedule", TestConnections.NEVER, "settings", Map.of("baseUrl", sim.baseUrl(), "companyId", "4564"),
                "credentials", Map.of("partnerToken", YclientsSimulator.PARTNER_TOKEN, "userToken", YclientsSimulator.USER_TOKEN))),
                token).statusCode()).isEqualTo(201);
        String hook = "http://localhost:" + port + JSON.readTree(send("POST", base + "/fresh-yclients/webhook", null, token).body())
                .path("path").asString();
        assertThat(send("POST", base + "/fresh-yclients/sync", null, token).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM ops.sync_run WHERE connection_id = 'fresh-yclients' AND status <> 'RUNNING'", Integer.class) == 1);
        assertThat(nights.runAndWait(LocalDate.now(ZoneId.of("Europe/Moscow")).minusDays(1), Duration.ofMinutes(5))
                .getStatus().name()).isEqualTo("COMPLETED");

        Map<String, Object> known = jdbc.queryForMap("""
                SELECT l.customer_key, coalesce(c.merged_into, c.id) AS customer_id
                  FROM core.customer_link l JOIN core.customer c ON c.id = l.customer_id
                 WHERE l.connection_id = 'fresh-yclients' AND l.customer_key ~ '^[0-9]+$' AND c.phone_e164 IS NOT NULL
                 ORDER BY l.customer_key LIMIT 1""");
        long customer = ((Number) known.get("customer_id")).longValue();
        long before = pending(customer);

        int record = sim.data().addRecord(Integer.parseInt((String) known.get("customer_key")), 500_000, Instant.now());
        Instant sold = Instant.now();
        assertThat(sim.notifyRecordChanged(hook, record)).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> pending(customer) > before);
        assertThat(Duration.between(sold, Instant.now())).isLessThan(Duration.ofSeconds(60));
        assertThat(pending(customer) - before).as("5 %% of 5,000 roubles at least, by the customer's tier")
                .isGreaterThanOrEqualTo(250);
    }

    private long pending(long customer) throws Exception {
        HttpResponse<String> me = send("GET", "http://localhost:" + port + "/api/v1/customers/me", null, TestTokens.customer(customer));
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        return JSON.readTree(me.body()).at("/points/pending").asLong();
    }

    private HttpResponse<String> send(String method, String url, String json, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
        if (json != null) request.header("Content-Type", "application/json");
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
