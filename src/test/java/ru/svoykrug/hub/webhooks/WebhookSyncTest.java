package ru.svoykrug.hub.webhooks;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.simulate.amocrm.AmocrmDataSet;
import ru.svoykrug.hub.simulate.amocrm.AmocrmSimulator;
import ru.svoykrug.hub.simulate.amocrm.AmocrmWebhooks;
import ru.svoykrug.hub.simulate.kit.WebhookSender;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks over real HTTP from the simulators: a burst starts one run, a change comes through the API (not
 * the body), a bad secret is a counted 401 problem.
 */
class WebhookSyncTest extends HubIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    @Autowired
    WebhookDebounce debounce;

    private YclientsSimulator yclients;
    private AmocrmSimulator amocrm;

    @AfterEach
    void stop() {
        if (yclients != null) yclients.close();
        if (amocrm != null) amocrm.close();
    }

    private String create(String partnerId, Map<String, Object> body) throws Exception {
        String base = "http://localhost:" + port + "/api/v1/partners/" + partnerId + "/connections";
        HttpResponse<String> created = post(base, JSON.writeValueAsString(body), TestTokens.partner(partnerId));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asString();
        HttpResponse<String> hook = post(base + "/" + id + "/webhook", null, TestTokens.partner(partnerId));
        assertThat(hook.statusCode()).isEqualTo(201);
        return "http://localhost:" + port + JSON.readTree(hook.body()).path("path").asString();
    }

    private static HttpResponse<String> post(String url, String json, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
        request.header("Content-Type", "application/json").POST(json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> runs(String connectionId) {
        return jdbc.queryForList("SELECT trigger || ':' || status FROM ops.sync_run WHERE connection_id = ? ORDER BY id",
                String.class, connectionId);
    }

    @Test
    void aBurstOfAHundredNotificationsStartsOneRunThatReadsTheChangeThroughTheApi() throws Exception {
        yclients = YclientsSimulator.start(YclientsDataSet.of(31, 80), 4564);
        String url = create("hook-y", Map.of("id", "hook-yclients", "system", "yclients", "schedule", TestConnections.NEVER,
                "settings", Map.of("baseUrl", yclients.baseUrl(), "companyId", "4564"),
                "credentials", Map.of("partnerToken", YclientsSimulator.PARTNER_TOKEN, "userToken", YclientsSimulator.USER_TOKEN)));
        int record = yclients.data().addRecord(null, 123_400, Instant.now());

        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<Future<Integer>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // the body names a record the vendor does not have: it must change nothing
            answers.add(senders.submit(() -> yclients.notifyRecordChanged(url, 987_654)));
        }
        for (Future<Integer> a : answers) {
            assertThat(a.get()).isEqualTo(202);
        }
        senders.shutdown();
        await().atMost(Duration.ofSeconds(60)).until(() -> !debounce.busy("hook-yclients") && !runs("hook-yclients").isEmpty());
        Thread.sleep(2_500); // a debounce window more: nothing else starts
        assertThat(runs("hook-yclients")).containsExactly("webhook:SUCCEEDED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'hook-yclients' AND source_id LIKE ?",
                Integer.class, "%" + record + "%")).as("the new record, read through the API").isPositive();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'hook-yclients' AND source_id LIKE '%987654%'",
                Integer.class)).as("nothing of the notification's body").isZero();

        // a later notification starts a later run
        assertThat(yclients.notifyRecordChanged(url, record)).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> runs("hook-yclients").size() == 2 && !debounce.busy("hook-yclients"));
    }

    @Test
    void aBadSecretOrAnUnknownConnectionIsACounted401Problem() throws Exception {
        amocrm = AmocrmSimulator.start(new AmocrmDataSet(32, 40));
        String url = create("hook-a", Map.of("id", "hook-amocrm", "system", "amocrm", "schedule", TestConnections.NEVER,
                "settings", Map.of("baseUrl", amocrm.baseUrl()),
                "credentials", Map.of("longLivedToken", AmocrmSimulator.LONG_LIVED_TOKEN)));
        double before = meters.counter("hub.webhooks.rejected").count();
        String forged = url.substring(0, url.lastIndexOf('/') + 1) + "not-the-secret";
        assertThat(AmocrmWebhooks.notifyLeadUpdated(forged, 1)).isEqualTo(401);
        assertThat(AmocrmWebhooks.notifyLeadUpdated(url.replace("hook-amocrm", "hook-yclients"), 1)).isEqualTo(401);
        assertThat(AmocrmWebhooks.notifyLeadUpdated("http://localhost:" + port + "/webhooks/v1/nobody/x", 1)).isEqualTo(401);
        HttpResponse<String> problem = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(forged))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(problem.statusCode()).isEqualTo(401);
        assertThat(problem.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(problem.body()).doesNotContain("not-the-secret");
        assertThat(meters.counter("hub.webhooks.rejected").count() - before).isEqualTo(4);
        Thread.sleep(2_500);
        assertThat(runs("hook-amocrm")).as("a forged notification starts nothing").isEmpty();

        // the vendor's own form-encoded notification with the good address
        assertThat(AmocrmWebhooks.notifyLeadUpdated(url, 1)).isEqualTo(202);
        assertThat(WebhookSender.post(url, "text/plain", "anything at all")).as("the body is never parsed").isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> !runs("hook-amocrm").isEmpty() && !debounce.busy("hook-amocrm"));
        assertThat(runs("hook-amocrm")).hasSize(1);
    }
}
