package ru.svoykrug.hub.monitoring;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.nightly.NightScenario;
import ru.svoykrug.hub.nightly.NightlyFaults;
import ru.svoykrug.hub.nightly.StagingFixture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A night's steps on {@code /actuator/prometheus} (the hub's own figures and Spring Batch's), and a failed
 * night in health and alerts: one notification when it fails, one when its restart completes.
 */
class NightMonitoringTest extends NightScenario {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final LocalDate NIGHT = LocalDate.of(2026, 8, 20);

    private final HttpClient http = HttpClient.newHttpClient();
    @LocalServerPort
    int port;
    @Autowired
    AlertWatch watch;
    @Autowired
    NightlyFaults faults;

    @Test
    void aNightsStepsAreMeasuredAndAFailedNightAlertsOnceAndOnceWhenItsRestartCompletes() throws Exception {
        StagingFixture shop = partner("mon-night-shop");
        shop.customer("m1", "+79165558001");
        shop.sale("m1", LocalDate.of(2026, 8, 1), 1_200);
        night(NIGHT.minusDays(1));
        watch.check(); // whatever night incident another test left open is over now

        String prometheus = get("/actuator/prometheus", TestTokens.ops()).body();
        assertThat(prometheus)
                .containsPattern("hub_night_step_duration_seconds\\{step=\"customers\"} \\d")
                .containsPattern("hub_night_step_rows\\{rows=\"written\",step=\"customers\"} [1-9]")
                .contains("spring_batch_job_seconds_count").contains("spring_batch_step_seconds_count");

        faults.crashIn("points");
        JobExecution crashed = runs.runAndWait(NIGHT, Duration.ofMinutes(5));
        assertThat(crashed.getStatus()).isEqualTo(BatchStatus.FAILED);
        watch.check();
        watch.check();

        JsonNode health = JSON.readTree(get("/actuator/health", TestTokens.ops()).body());
        assertThat(health.path("status").asString()).isEqualTo("UP");
        JsonNode failed = health.path("components").path("partnerSyncs").path("details").path("failedNight");
        assertThat(failed.path("id").asLong()).isEqualTo(crashed.getId());
        assertThat(failed.path("businessDate").asString()).isEqualTo(NIGHT.toString());
        assertThat(nightAlerts(crashed.getId())).extracting(a -> a.path("event").asString()).containsExactly("opened");
        JsonNode opened = nightAlerts(crashed.getId()).get(0);
        assertThat(opened.path("kind").asString()).isEqualTo("NIGHT_FAILED");
        assertThat(opened.path("businessDate").asString()).isEqualTo(NIGHT.toString());
        assertThat(opened.path("link").asString()).endsWith("/ops/#/night/" + crashed.getId());

        night(NIGHT); // the restart
        watch.check();
        assertThat(nightAlerts(crashed.getId())).extracting(a -> a.path("event").asString()).containsExactly("opened", "resolved");
        assertThat(JSON.readTree(get("/actuator/health", TestTokens.ops()).body())
                .path("components").path("partnerSyncs").path("details").has("failedNight")).isFalse();
    }

    private static List<JsonNode> nightAlerts(long night) {
        return LocalReceiver.WEBHOOK.received().stream().map(r -> JSON.readTree(r.body()))
                .filter(a -> a.path("night").asLong(-1) == night).toList();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", TestTokens.bearer(token)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
