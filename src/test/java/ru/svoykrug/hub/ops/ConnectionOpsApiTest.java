package ru.svoykrug.hub.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The ops endpoints over HTTP, as the ops dashboard and people with curl use them. */
class ConnectionOpsApiTest extends HubIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    ConnectionService connections;

    private YclientsSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) sim.close();
    }

    @Test
    void listsConnectionsWithoutCredentialsAndStartsASyncThroughTheScheduler() throws Exception {
        sim = YclientsSimulator.start(YclientsDataSet.of(11, 200), 4564);
        connections.ensure(TestConnections.yclients("ops-api", sim, 100));

        HttpResponse<String> accepted = send("POST", "/api/v1/ops/connections/ops-api/sync");
        assertThat(accepted.statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode runs = JSON.readTree(send("GET", "/api/v1/ops/sync-runs?connectionId=ops-api&limit=5").body());
            return runs.size() == 1 && runs.get(0).path("status").asString().equals("SUCCEEDED");
        });
        JsonNode run = JSON.readTree(send("GET", "/api/v1/ops/sync-runs?connectionId=ops-api&limit=5").body()).get(0);
        assertThat(run.path("connectionId").asString()).isEqualTo("ops-api");
        assertThat(run.path("trigger").asString()).isEqualTo("manual");
        assertThat(run.path("recordsRead").asLong()).isEqualTo(40 + 200 + 100);
        assertThat(run.path("recordsWritten").asLong()).as("and the 10 counter sales of goods among the transactions").isEqualTo(350);
        assertThat(run.path("recordsRejected").asLong()).isZero();
        assertThat(run.path("pages").asInt()).isEqualTo(1 + 2 + 1 + 1);
        assertThat(run.has("startedAt") && run.has("finishedAt") && run.has("errorClass") && run.has("errorMessage")).isTrue();

        HttpResponse<String> list = send("GET", "/api/v1/ops/connections");
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode connection = null;
        for (JsonNode c : JSON.readTree(list.body())) {
            if (c.path("id").asString().equals("ops-api")) connection = c;
        }
        assertThat(connection).isNotNull();
        assertThat(connection.path("system").asString()).isEqualTo("yclients");
        assertThat(connection.path("status").asString()).isEqualTo("ACTIVE");
        assertThat(connection.path("lastRunStatus").asString()).isEqualTo("SUCCEEDED");
        assertThat(list.body()).doesNotContain(YclientsSimulator.USER_TOKEN).doesNotContain(YclientsSimulator.PARTNER_TOKEN)
                .doesNotContain("\"credentials\"");
    }

    @Test
    void badRequestsGetProblemDetailsNeverAStackTrace() throws Exception {
        for (Map.Entry<String, Integer> call : Map.of(
                "GET /api/v1/ops/sync-runs?limit=0", 400,
                "GET /api/v1/ops/sync-runs?limit=lots", 400,
                "GET /api/v1/ops/sync-runs?connectionId=no-such", 404,
                "POST /api/v1/ops/connections/no-such/sync", 404,
                "GET /api/v1/ops/no-such-endpoint", 404,
                "DELETE /api/v1/ops/connections", 405).entrySet()) {
            String[] parts = call.getKey().split(" ");
            HttpResponse<String> response = send(parts[0], parts[1]);
            assertThat(response.statusCode()).as(call.getKey()).isEqualTo(call.getValue());
            assertThat(response.headers().firstValue("Content-Type")).as(call.getKey()).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("status").asInt()).isEqualTo(call.getValue());
            assertThat(problem.path("title").asString()).isNotBlank();
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void aStoppedConnectionCannotBeSyncedByHand() throws Exception {
        sim = YclientsSimulator.start(YclientsDataSet.of(12, 50), 4564);
        connections.ensure(TestConnections.yclients("ops-stopped", sim, 100, "wrong-user-token"));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                send("POST", "/api/v1/ops/connections/ops-stopped/sync").statusCode() == 409);
        JsonNode problem = JSON.readTree(send("POST", "/api/v1/ops/connections/ops-stopped/sync").body());
        assertThat(problem.path("detail").asString()).contains("CREDENTIALS_REJECTED");
    }

    @Test
    void healthIsUpWithTheDatabaseAndCamelAndShowsItsComponentsToOps() throws Exception {
        HttpResponse<String> health = send("GET", "/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(health.body());
        assertThat(body.path("status").asString()).isEqualTo("UP");
        assertThat(body.path("components").path("db").path("status").asString()).isEqualTo("UP");
        assertThat(body.path("components").path("camelHealth").path("status").asString()).isEqualTo("UP");
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/json")
                .header("Authorization", TestTokens.bearer(TestTokens.ops()))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
