package ru.svoykrug.hub;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;
import ru.svoykrug.hub.sync.SyncRuns;
import ru.svoykrug.hub.simulate.DemoSimulators;
import ru.svoykrug.hub.simulate.amocrm.AmocrmSimulator;
import ru.svoykrug.hub.simulate.iiko.IikoSimulator;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import ru.svoykrug.hub.simulate.yclients.YclientsTruth;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub as the README's first command starts it: ./config read as it is (demo partners, simulators,
 * first sync), only the data directory and the port moved out of the way.
 */
class DemoTest {

    @TempDir
    Path dataDir;

    @Test
    void theDemoSyncsItsPartnersAndReportsHealthHonestly() throws Exception {
        try (ConfigurableApplicationContext hub = new SpringApplicationBuilder(HubApplication.class)
                .run("--hub.data-dir=" + dataDir, "--server.port=0")) {
            int port = ((WebServerApplicationContext) hub).getWebServer().getPort();
            SyncRuns runs = hub.getBean(SyncRuns.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                List<SyncRun> list = runs.list("mindal-yclients", 1);
                return !list.isEmpty() && list.get(0).status() != SyncRunStatus.RUNNING;
            });
            SyncRun first = runs.list("mindal-yclients", 1).get(0);
            YclientsTruth truth = hub.getBean(DemoSimulators.class).simulator("yclients", YclientsSimulator.class).data().truth();
            assertThat(first.trigger()).isEqualTo("first-sync");
            assertThat(first.status()).as("the demo data has malformed records on purpose").isEqualTo(SyncRunStatus.PARTIAL);
            assertThat(first.recordsRejected()).isEqualTo(truth.rejectedCount());
            assertThat(Staged.of(hub.getBean(JdbcTemplate.class), "mindal-yclients")).isEqualTo(Staged.of(truth));

            // ...and a night right after it, so the demo shows points, segments and churn scores
            JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
            java.time.LocalDate yesterday = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Moscow")).minusDays(1);
            await().atMost(Duration.ofSeconds(120)).until(() -> "COMPLETED".equals(jdbc.query(
                    "SELECT e.status FROM batch_job_execution e ORDER BY e.job_execution_id DESC LIMIT 1",
                    rs -> rs.next() ? rs.getString(1) : null)));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM core.points_ledger WHERE connection_id = 'mindal-yclients'", Integer.class))
                    .isPositive();
            assertThat(jdbc.queryForObject("SELECT count(DISTINCT segment) FROM core.rfm WHERE business_date = ?", Integer.class, yesterday))
                    .isGreaterThan(3);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM core.churn_model WHERE business_date = ? AND log_likelihood IS NOT NULL",
                    Integer.class, yesterday)).isEqualTo(3);
            for (String id : List.of("steam-amocrm", "lisichkino-iiko")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    List<SyncRun> list = runs.list(id, 1);
                    return !list.isEmpty() && list.get(0).status() != SyncRunStatus.RUNNING;
                });
                assertThat(runs.list(id, 1).get(0).status()).as(id).isEqualTo(SyncRunStatus.SUCCEEDED);
            }
            DemoSimulators sims = hub.getBean(DemoSimulators.class);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'steam-amocrm' AND status = 'COMPLETED'",
                    Integer.class)).isEqualTo(sims.simulator("amocrm", AmocrmSimulator.class).data().truth().completedSales());
            assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'lisichkino-iiko' AND status = 'COMPLETED'",
                    Integer.class)).isEqualTo(sims.simulator("iiko", IikoSimulator.class).data().truth().completedSales());

            // the README's curl lines: the demo's tokens, written to the data folder, customers once the night made them
            Path tokensFile = dataDir.resolve("demo-tokens.json");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(tokensFile)
                    && JsonMapper.builder().build().readTree(tokensFile.toFile()).path("customers").size() == 3);
            JsonNode tokens = JsonMapper.builder().build().readTree(tokensFile.toFile());
            assertThat(tokens.path("partners").has("mindal")).isTrue();
            HttpClient http = HttpClient.newHttpClient();
            URI list = URI.create("http://127.0.0.1:" + port + "/api/v1/ops/connections");
            assertThat(http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("no token, no data").isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(list).header("Authorization", "Bearer " + tokens.path("partners").path("mindal")
                    .asString()).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("a partner is not ops").isEqualTo(403);
            HttpResponse<String> connections = http.send(HttpRequest.newBuilder(list)
                    .header("Authorization", "Bearer " + tokens.path("ops").asString()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(connections.statusCode()).isEqualTo(200);
            assertThat(connections.body()).contains("\"id\":\"mindal-yclients\"").contains("\"lastRunStatus\":\"PARTIAL\"");

            URI health = URI.create("http://127.0.0.1:" + port + "/actuator/health");
            assertThat(http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            hub.getBean(CamelContext.class).stop();
            HttpResponse<String> down = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"status\":\"DOWN\"");
        }
    }
}
