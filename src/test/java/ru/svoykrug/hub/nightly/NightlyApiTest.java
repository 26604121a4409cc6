package ru.svoykrug.hub.nightly;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import ru.svoykrug.hub.TestTokens;
import tools.jackson.databind.JsonNode;
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
import static org.awaitility.Awaitility.await;

/** Ops start a night over HTTP and read its steps, counts and fitted models. */
class NightlyApiTest extends NightScenario {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void aNightStartedByHandRunsEveryStepAndIsListedWithItsCounts() throws Exception {
        StagingFixture shop = partner("api-night");
        shop.customer("n1", "+79165559001");
        shop.sale("n1", LocalDate.of(2026, 7, 1), 1_000);

        HttpResponse<String> accepted = send("POST", "/api/v1/ops/jobs/nightly/runs", "{\"businessDate\": \"2026-07-10\"}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        long id = JSON.readTree(accepted.body()).path("id").asLong();
        assertThat(id).isPositive();

        await().atMost(Duration.ofSeconds(60)).until(() ->
                JSON.readTree(send("GET", "/api/v1/ops/jobs/nightly/runs/" + id, null).body()).path("night").path("status")
                        .asString().equals("COMPLETED"));
        JsonNode detail = JSON.readTree(send("GET", "/api/v1/ops/jobs/nightly/runs/" + id, null).body());
        JsonNode night = detail.path("night");
        assertThat(night.path("businessDate").asString()).isEqualTo("2026-07-10");
        assertThat(night.path("steps")).as("in the job's order, whichever of points and activity started first")
                .extracting(s -> s.path("name").asString())
                .containsExactly("customers", "purchases", "reconcile", "points", "activity", "rfm", "churn", "warehouse");
        for (JsonNode step : night.path("steps")) {
            assertThat(step.path("status").asString()).isEqualTo("COMPLETED");
            assertThat(step.has("readCount") && step.has("writeCount") && step.has("skipCount")).isTrue();
        }
        assertThat(night.path("steps").get(0).path("writeCount").asLong()).isPositive();
        assertThat(detail.has("models")).isTrue();

        JsonNode list = JSON.readTree(send("GET", "/api/v1/ops/jobs/nightly/runs?limit=5", null).body());
        assertThat(list).anyMatch(n -> n.path("id").asLong() == id);
    }

    @Test
    void badRequestsAreProblems() throws Exception {
        assertProblem(send("POST", "/api/v1/ops/jobs/nightly/runs", "{}"), 400);
        assertProblem(send("POST", "/api/v1/ops/jobs/nightly/runs", "{\"businessDate\": \"25.11.2026\"}"), 400);
        assertProblem(send("POST", "/api/v1/ops/jobs/nightly/runs", "not json"), 400);
        assertProblem(send("POST", "/api/v1/ops/jobs/nightly/runs", "{\"businessDate\": \"2999-01-01\"}"), 400);
        assertProblem(send("GET", "/api/v1/ops/jobs/nightly/runs/987654321", null), 404);
        assertProblem(send("GET", "/api/v1/ops/jobs/nightly/runs?limit=0", null), 400);
    }

    @Test
    void aBusinessDateOutsideTheProgrammesStartToYesterdayIsA400NamingTheRange() throws Exception {
        StagingFixture shop = partner("api-range");
        shop.customer("r1", "+79165559002");
        shop.sale("r1", LocalDate.of(2026, 5, 1), 1_000);
        LocalDate yesterday = LocalDate.now(ZoneId.of("Europe/Moscow")).minusDays(1); // hub.nightly.zone's, not the JVM's
        LocalDate start = jdbc.queryForObject("SELECT min((occurred_at AT TIME ZONE zone)::date) FROM staging.sale", LocalDate.class);

        for (String date : List.of("\"1971-06-01\"", "\"0000-01-01\"", "\"-999999999-01-01\"", "-1",
                "\"" + yesterday.plusDays(1) + "\"", "\"" + yesterday.plusDays(2) + "\"", "\"" + start.minusDays(1) + "\"")) {
            HttpResponse<String> refused = send("POST", "/api/v1/ops/jobs/nightly/runs", "{\"businessDate\": " + date + "}");
            assertProblem(refused, 400);
            JsonNode problem = JSON.readTree(refused.body());
            assertThat(problem.path("detail").asString()).as(date).contains(start.toString()).contains(yesterday.toString());
            assertThat(problem.path("allowedFrom").asString()).isEqualTo(start.toString());
            assertThat(problem.path("allowedTo").asString()).isEqualTo(yesterday.toString());
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM batch_job_execution_params WHERE parameter_name = 'businessDate' "
                + "AND (parameter_value < ? OR parameter_value > ?)", Long.class, start.toString(), yesterday.toString()))
                .as("no night outside the range was started").isZero();
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body()).doesNotContain("Exception");
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", TestTokens.bearer(TestTokens.ops()));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
