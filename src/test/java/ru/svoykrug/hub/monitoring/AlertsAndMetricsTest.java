package ru.svoykrug.hub.monitoring;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import ru.svoykrug.hub.sync.SyncRunStatus;
import ru.svoykrug.hub.sync.SyncRunner;
import ru.svoykrug.hub.sync.SyncRuns;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stale connection and one whose credentials were rejected, as metrics, health and alerts show them:
 * the webhook (a local receiver) hears of each incident exactly once, however many checks see it, and
 * once when it is over; a second watch over the same database (a restart, another node) adds nothing.
 */
class AlertsAndMetricsTest extends HubIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** hourly: stale once its last good sync is over two hours old */
    private static final String HOURLY = "0 0 * * * ?";

    private final HttpClient http = HttpClient.newHttpClient();
    @LocalServerPort
    int port;
    @Autowired
    ConnectionService connections;
    @Autowired
    SyncRunner syncs;
    @Autowired
    SyncRuns runs;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AlertWatch watch;
    @Autowired
    ConnectionStates states;
    @Autowired
    NightStates nights;
    @Autowired
    Incidents incidents;
    @Autowired
    HubMetrics metrics;
    @Autowired
    ErrorReports errors;
    @Autowired
    AlertProperties properties;

    private YclientsSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) sim.close();
    }

    @Test
    void aStaleAndARefusedConnectionShowInMetricsAndHealthAndAlertOncePerIncidentAndOnceOnRecovery() throws Exception {
        sim = YclientsSimulator.start(YclientsDataSet.of(31, 40), 4564);
        connections.ensure(hourly(TestConnections.yclients("mon-stale", sim, 100)));
        connections.ensure(hourly(TestConnections.yclients("mon-refused", sim, 100, "wrong-user-token")));
        assertThat(syncs.run("mon-stale", "test").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(syncs.run("mon-refused", "test").status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);
        // its last good sync three hours ago: more than twice its hourly schedule
        jdbc.update("UPDATE ops.sync_run SET started_at = now() - interval '3 hours', finished_at = now() - interval '3 hours' "
                + "WHERE connection_id = 'mon-stale'");

        watch.check();
        watch.check();

        assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
        String prometheus = get("/actuator/prometheus", TestTokens.ops()).body();
        assertThat(prometheus)
                .containsPattern("hub_sync_stale\\{connection=\"mon-stale\",partner=\"[^\"]+\",system=\"yclients\"} 1\\.0")
                .containsPattern("hub_sync_stale\\{connection=\"mon-refused\",[^}]*} 0\\.0")
                .containsPattern("hub_sync_stopped\\{connection=\"mon-refused\",[^}]*} 1\\.0")
                .containsPattern("hub_sync_last_success\\{connection=\"mon-stale\",[^}]*} \\d\\.\\d+E9")
                .containsPattern("hub_sync_runs_total\\{connection=\"mon-refused\",[^}]*status=\"CREDENTIALS_REJECTED\"[^}]*} 1\\.0")
                .containsPattern("hub_sync_records_total\\{connection=\"mon-stale\",[^}]*records=\"read\",[^}]*} [1-9]")
                .containsPattern("hub_sync_rate_limit_wait_seconds_count\\{connection=\"mon-stale\"} [1-9]")
                .containsPattern("hub_camel_exchanges_seconds_count\\{outcome=\"completed\",route=\"[^\"]*mon-stale[^\"]*\"} [1-9]")
                // every request timed; Spring Security's own observations of each filter and check are off
                .containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/actuator/health\"[^}]*} [1-9]")
                .doesNotContain("spring_security_");

        JsonNode health = JSON.readTree(get("/actuator/health", TestTokens.ops()).body());
        assertThat(health.path("status").asString()).as("stale connections do not take the hub down").isEqualTo("UP");
        JsonNode syncHealth = health.path("components").path("partnerSyncs");
        assertThat(syncHealth.path("status").asString()).isEqualTo("UP");
        assertThat(syncHealth.path("details").path("stale").has("mon-stale")).isTrue();
        assertThat(syncHealth.path("details").path("stale").has("mon-refused")).isFalse();
        assertThat(syncHealth.path("details").path("stopped").path("mon-refused").asString()).isEqualTo("credentials rejected");
        JsonNode anonymous = JSON.readTree(get("/actuator/health", null).body());
        assertThat(anonymous.has("components")).as("details for OPS only").isFalse();

        assertThat(alerts("mon-stale")).extracting(a -> a.path("event").asString() + " " + a.path("kind").asString())
                .containsExactly("opened STALE");
        assertThat(alerts("mon-refused")).extracting(a -> a.path("event").asString() + " " + a.path("kind").asString())
                .containsExactly("opened CREDENTIALS_REJECTED");
        JsonNode refused = alerts("mon-refused").get(0);
        assertThat(refused.path("partner").asString()).isNotBlank();
        assertThat(refused.path("system").asString()).isEqualTo("yclients");
        assertThat(refused.path("status").asString()).isEqualTo("CREDENTIALS_REJECTED");
        assertThat(refused.path("errorClass").asString()).isEqualTo("CredentialsRejected");
        assertThat(refused.path("link").asString()).endsWith("/ops/#/connection/mon-refused");

        // a restart, or another node: the open incidents are in the database, nothing is sent again
        new AlertWatch(states, nights, incidents, metrics, errors, runs, properties).check();
        assertThat(alerts("mon-stale")).hasSize(1);
        assertThat(alerts("mon-refused")).hasSize(1);

        // both recover: a good sync now, and new credentials
        assertThat(syncs.run("mon-stale", "test").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        connections.update(hourly(TestConnections.yclients("mon-refused", sim, 100)));
        assertThat(syncs.run("mon-refused", "test").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        watch.check();
        watch.check();
        assertThat(alerts("mon-stale")).extracting(a -> a.path("event").asString()).containsExactly("opened", "resolved");
        assertThat(alerts("mon-refused")).extracting(a -> a.path("event").asString()).containsExactly("opened", "resolved");
        assertThat(get("/actuator/prometheus", TestTokens.ops()).body())
                .containsPattern("hub_sync_stale\\{connection=\"mon-stale\",[^}]*} 0\\.0")
                .containsPattern("hub_sync_stopped\\{connection=\"mon-refused\",[^}]*} 0\\.0");
    }

    @Test
    void aSyncThatFailedForNoKnownCauseGoesToSentryAndAKnownCauseDoesNot() {
        connections.ensure(TestConnections.file("mon-odd", "Odd", "Europe/Moscow"));
        long odd = failedRun("mon-odd", "NullPointerException", "records: Cannot invoke \"String.length()\"");
        connections.ensure(TestConnections.file("mon-down", "Down", "Europe/Moscow"));
        long down = failedRun("mon-down", "HttpOperationFailedException", "records: HTTP 503 from https://example/api");
        try (LocalReceiver sentry = LocalReceiver.start()) {
            ErrorReports reports = new ErrorReports("http://key@127.0.0.1:" + sentry.port() + "/7", "test");
            try {
                AlertWatch withSentry = new AlertWatch(states, nights, incidents, metrics, reports, runs, properties);
                withSentry.runEnded(new SyncRunner.SyncCompleted("mon-odd", odd, SyncRunStatus.FAILED));
                withSentry.runEnded(new SyncRunner.SyncCompleted("mon-down", down, SyncRunStatus.FAILED));
                reports.flush();
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                        .until(() -> sentry.received().stream().anyMatch(r -> r.body().contains("\"type\":\"event\"")));
            } finally {
                reports.close();
            }
            List<String> events = sentry.received().stream().map(LocalReceiver.Received::body)
                    .filter(b -> b.contains("\"type\":\"event\"")).toList();
            assertThat(events).hasSize(1);
            assertThat(events.get(0)).contains("\"connection\":\"mon-odd\"").contains("\"errorClass\":\"NullPointerException\"")
                    .doesNotContain("mon-down");
        }
    }

    private long failedRun(String connection, String errorClass, String message) {
        return jdbc.queryForObject("""
                INSERT INTO ops.sync_run (connection_id, trigger, status, finished_at, error_class, error_message)
                VALUES (?, 'test', 'FAILED', now(), ?, ?) RETURNING id""", Long.class, connection, errorClass, message);
    }

    @Test
    void prometheusNeedsAnOpsToken() throws Exception {
        assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", TestTokens.partner("some-partner")).statusCode()).isEqualTo(403);
    }

    private static ConnectionDefinition hourly(ConnectionDefinition d) {
        return new ConnectionDefinition(d.id(), d.partner(), d.system(), d.zone(), d.medical(), HOURLY, d.settings(), d.credentials());
    }

    private static List<JsonNode> alerts(String connection) {
        return LocalReceiver.WEBHOOK.received().stream().map(r -> JSON.readTree(r.body()))
                .filter(a -> connection.equals(a.path("connection").asString(null))).toList();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (token != null) request.header("Authorization", TestTokens.bearer(token));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
