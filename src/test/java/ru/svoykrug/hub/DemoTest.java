package ru.svoykrug.hub;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.ops.OpsBrowser;
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
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoTest {

    /** The connections config/partners.yml seeds. */
    static final List<String> DEMO_CONNECTIONS = List.of("mindal-yclients", "skinerica-onec", "lisichkino-onec",
            "millenium-renovatio", "steam-amocrm", "lisichkino-iiko");

    @TempDir
    static Path dataDir;
    static ConfigurableApplicationContext hub;
    static int port;

    @BeforeAll
    static void startTheDemo() {
        hub = new SpringApplicationBuilder(HubApplication.class).run("--hub.data-dir=" + dataDir, "--server.port=0");
        port = ((WebServerApplicationContext) hub).getWebServer().getPort();
    }

    @AfterAll
    static void stopTheDemo() {
        if (hub != null) hub.close();
    }

    @Test
    @Order(1)
    void theDemoSyncsItsPartnersAndRunsANight() throws Exception {
        SyncRuns runs = hub.getBean(SyncRuns.class);
        // (the demo's schedule may start another run right after it: the first sync is looked for, not the newest run)
        await().atMost(Duration.ofSeconds(60)).until(() -> runs.list("mindal-yclients", 20).stream()
                .anyMatch(r -> "first-sync".equals(r.trigger()) && r.status() != SyncRunStatus.RUNNING));
        SyncRun first = runs.list("mindal-yclients", 20).stream().filter(r -> "first-sync".equals(r.trigger())).findFirst().orElseThrow();
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
        // (PARTIAL after the first sync; a scheduled run after it may have found nothing malformed left to read)
        assertThat(connections.body()).contains("\"id\":\"mindal-yclients\"").containsPattern("\"lastRunStatus\":\"(PARTIAL|SUCCEEDED)\"");
    }

    @Test
    @Order(2)
    void opsSeeEveryDemoConnectionInABrowserSyncOneReadAFailureAndOpenTheNight() throws Exception {
        JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
        SyncRuns runs = hub.getBean(SyncRuns.class);
        String ops = demoTokens().path("ops").asString();
        await().atMost(Duration.ofSeconds(120)).until(() -> DEMO_CONNECTIONS.stream().allMatch(id -> {
            List<SyncRun> last = runs.list(id, 1);
            return !last.isEmpty() && last.get(0).status() != SyncRunStatus.RUNNING;
        }));
        long night = jdbc.queryForObject("""
                SELECT max(job_execution_id) FROM batch_job_execution WHERE status = 'COMPLETED'""", Long.class);

        try (OpsBrowser browser = new OpsBrowser()) {
            browser.signIn(port, ops);
            // every connection config/partners.yml seeds, one row each, and nothing else
            assertThat(browser.shownConnections()).containsExactlyInAnyOrderElementsOf(DEMO_CONNECTIONS);
            browser.screenshot("demo-connections");

            // sync now: the connection's page shows the run the button started, and its end, without a reload
            assertThat(runs.list("steam-amocrm", 1000)).noneMatch(r -> r.trigger().equals("manual"));
            browser.click(By.cssSelector("tr[data-connection='steam-amocrm'] button[data-action='sync']"));
            browser.click(By.cssSelector("tr[data-connection='steam-amocrm'] a"));
            new WebDriverWait(browser.driver(), Duration.ofSeconds(90)).ignoring(StaleElementReferenceException.class).until(
                    ExpectedConditions.presenceOfElementLocated(By.cssSelector("#runs tbody tr:first-child [data-status='SUCCEEDED']")));
            browser.await().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#runs tbody tr:first-child"), "manual"));
            assertThat(browser.driver().findElements(By.cssSelector("#runs tbody tr")).stream().map(r -> r.getText())
                    .filter(text -> text.contains("manual"))).as("one run: the one the button started").hasSize(1);
            browser.screenshot("demo-connection");

            // the salon issues a new user token: the hub's is refused, and the dashboard says so in plain words
            hub.getBean(DemoSimulators.class).simulator("yclients", YclientsSimulator.class).acceptUserToken("issued-after-the-hub's");
            browser.click(By.id("nav-connections"));
            browser.click(By.cssSelector("tr[data-connection='mindal-yclients'] button[data-action='sync']"));
            new WebDriverWait(browser.driver(), Duration.ofSeconds(90)).ignoring(StaleElementReferenceException.class).until(
                    ExpectedConditions.textToBe(By.cssSelector("tr[data-connection='mindal-yclients'] td.problem"), "credentials rejected"));

            // the demo's night and its steps
            browser.click(By.id("nav-nights"));
            browser.click(By.cssSelector("tr[data-night='" + night + "'] a"));
            browser.await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#steps tbody tr[data-step='customers']")));
            List<String> steps = browser.await().until(d -> d.findElements(By.cssSelector("#steps tbody tr")).stream()
                    .map(r -> r.getAttribute("data-step")).toList());
            assertThat(steps).startsWith("customers", "purchases", "reconcile", "points", "activity", "rfm", "churn");
            assertThat(browser.driver().findElements(By.cssSelector("#steps tbody tr [data-status]")).stream()
                    .map(e -> e.getAttribute("data-status")).toList()).hasSize(steps.size()).containsOnly("COMPLETED");
            browser.screenshot("demo-night");
        }
    }

    @Test
    @Order(3)
    void healthGoesDownWithTheRoutes() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI health = URI.create("http://127.0.0.1:" + port + "/actuator/health");
        assertThat(http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        hub.getBean(CamelContext.class).stop();
        HttpResponse<String> down = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("\"status\":\"DOWN\"");
    }

    /** The README's curl lines: the demo's tokens, written to the data folder, customers once the night made them. */
    private static JsonNode demoTokens() {
        Path file = dataDir.resolve("demo-tokens.json");
        JsonMapper json = JsonMapper.builder().build();
        await().atMost(Duration.ofSeconds(180)).until(() -> Files.exists(file) && json.readTree(file.toFile()).path("customers").size() == 3);
        return json.readTree(file.toFile());
    }
}
