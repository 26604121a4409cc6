package ru.svoykrug.hub.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import ru.svoykrug.hub.sync.SyncRunStatus;
import ru.svoykrug.hub.sync.SyncRunner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The dashboard's buttons over HTTP: pause, resume, and a connection's dead letters listed, replayed and discarded. */
class ConnectionControlsApiTest extends HubIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    ConnectionService connections;
    @Autowired
    SyncRunner syncs;
    @Autowired
    JdbcTemplate jdbc;

    private YclientsSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) sim.close();
    }

    @Test
    void pausedConnectionsDoNotSyncUntilResumed() throws Exception {
        sim = YclientsSimulator.start(YclientsDataSet.of(51, 20), 4564);
        connections.ensure(TestConnections.yclients("ctl-pause", sim, 100));

        JsonNode paused = JSON.readTree(send("POST", "/api/v1/ops/connections/ctl-pause/pause").body());
        assertThat(paused.path("status").asString()).isEqualTo("PAUSED");
        assertThat(paused.path("stopped").asBoolean()).isTrue();
        assertThat(send("POST", "/api/v1/ops/connections/ctl-pause/sync").statusCode()).isEqualTo(409);

        JsonNode resumed = JSON.readTree(send("POST", "/api/v1/ops/connections/ctl-pause/resume").body());
        assertThat(resumed.path("status").asString()).isEqualTo("ACTIVE");
        assertThat(send("POST", "/api/v1/ops/connections/ctl-pause/sync").statusCode()).isEqualTo(202);
    }

    @Test
    void aRefusedConnectionIsNotResumedByHandButByNewCredentials() throws Exception {
        sim = YclientsSimulator.start(YclientsDataSet.of(52, 20), 4564);
        connections.ensure(TestConnections.yclients("ctl-refused", sim, 100, "wrong-user-token"));
        assertThat(syncs.run("ctl-refused", "test").status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);
        HttpResponse<String> resume = send("POST", "/api/v1/ops/connections/ctl-refused/resume");
        assertThat(resume.statusCode()).isEqualTo(409);
        assertThat(resume.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode state = JSON.readTree(send("GET", "/api/v1/ops/connections/ctl-refused").body());
        assertThat(state.path("problem").asString()).isEqualTo("credentials rejected");
        assertThat(state.path("trouble").asString()).isEqualTo("CREDENTIALS_REJECTED");
    }

    @Test
    void deadLettersAreListedWithReasonsReplayedByReReadingAndDiscarded() throws Exception {
        sim = YclientsSimulator.start(new YclientsDataSet(53, 60, 7, ZoneId.of("Europe/Moscow")), 4564);
        connections.ensure(TestConnections.yclients("ctl-letters", sim, 100));
        assertThat(syncs.run("ctl-letters", "test").status()).isEqualTo(SyncRunStatus.PARTIAL);

        JsonNode letters = JSON.readTree(send("GET", "/api/v1/ops/connections/ctl-letters/dead-letters").body());
        assertThat(letters.size()).isPositive();
        assertThat(letters.get(0).path("reason").asString()).isNotBlank();
        assertThat(letters.get(0).has("fields") && letters.get(0).has("stream") && letters.get(0).has("sourceId")).isTrue();
        JsonNode state = JSON.readTree(send("GET", "/api/v1/ops/connections/ctl-letters").body());
        assertThat(state.path("problem").asString()).isEqualTo("malformed records");
        assertThat(state.path("deadLetters").asLong()).isEqualTo(letters.size());
        long runsBefore = runs();

        HttpResponse<String> replay = send("POST", "/api/v1/ops/connections/ctl-letters/dead-letters/replay");
        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(replay.body()).path("streams").size()).isPositive();
        // the streams are read again from their start: every record, the rejected ones too
        await().atMost(Duration.ofSeconds(60)).until(() -> runs() > runsBefore && jdbc.queryForObject(
                "SELECT count(*) FROM ops.sync_run WHERE connection_id = 'ctl-letters' AND status = 'RUNNING'", Long.class) == 0);
        JsonNode again = JSON.readTree(send("GET", "/api/v1/ops/sync-runs?connectionId=ctl-letters&limit=1").body()).get(0);
        assertThat(again.path("recordsRejected").asLong()).as("the same records, read again").isEqualTo(letters.size());
        assertThat(jdbc.queryForObject("SELECT min(read_count) FROM ops.dead_letter WHERE connection_id = 'ctl-letters'", Integer.class))
                .isEqualTo(2);

        long first = letters.get(0).path("id").asLong();
        assertThat(send("DELETE", "/api/v1/ops/connections/ctl-letters/dead-letters/" + first).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", "/api/v1/ops/connections/ctl-letters/dead-letters/" + first).statusCode()).isEqualTo(404);
        JsonNode discarded = JSON.readTree(send("DELETE", "/api/v1/ops/connections/ctl-letters/dead-letters").body());
        assertThat(discarded.path("discarded").asLong()).isEqualTo(letters.size() - 1);
        assertThat(JSON.readTree(send("GET", "/api/v1/ops/connections/ctl-letters/dead-letters").body()).size()).isZero();
    }

    @Test
    void badInputIsAProblem() throws Exception {
        for (String call : new String[]{"GET /api/v1/ops/connections/no-such", "POST /api/v1/ops/connections/no-such/pause",
                "GET /api/v1/ops/connections/no-such/dead-letters", "DELETE /api/v1/ops/connections/no-such/dead-letters/1"}) {
            String[] parts = call.split(" ");
            assertThat(send(parts[0], parts[1]).statusCode()).as(call).isEqualTo(404);
        }
        for (String call : new String[]{"GET /api/v1/ops/connections/no-such/dead-letters?limit=0",
                "DELETE /api/v1/ops/connections/no-such/dead-letters/-1", "DELETE /api/v1/ops/connections/x/dead-letters/abc",
                "GET /api/v1/ops/connections/%20bad/dead-letters"}) {
            String[] parts = call.split(" ");
            HttpResponse<String> response = send(parts[0], parts[1]);
            assertThat(response.statusCode()).as(call).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        }
    }

    private long runs() {
        return jdbc.queryForObject("SELECT count(*) FROM ops.sync_run WHERE connection_id = 'ctl-letters'", Long.class);
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
