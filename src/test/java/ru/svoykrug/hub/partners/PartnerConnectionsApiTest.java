package ru.svoykrug.hub.partners;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static ru.svoykrug.hub.partners.PartnerApiClient.json;

/** A partner makes, runs, pauses and deletes its own connection; another partner can do none of it. */
class PartnerConnectionsApiTest extends HubIntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    private YclientsSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) sim.close();
    }

    private Map<String, Object> yclients(String id, Map<String, String> settings) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("system", "yclients");
        body.put("zone", "Europe/Moscow");
        body.put("schedule", TestConnections.NEVER);
        body.put("settings", settings);
        body.put("credentials", Map.of("partnerToken", YclientsSimulator.PARTNER_TOKEN, "userToken", YclientsSimulator.USER_TOKEN));
        return body;
    }

    @Test
    void settingsAreCheckedPerSystemWithTheFieldNamed() {
        PartnerApiClient alpha = new PartnerApiClient(port, TestTokens.partner("alpha-check"));
        HttpResponse<String> noCompany = alpha.send("POST", "/api/v1/partners/alpha-check/connections",
                yclients("alpha-check-y", Map.of("baseUrl", "http://127.0.0.1:9")));
        assertThat(noCompany.statusCode()).isEqualTo(400);
        assertThat(noCompany.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(json(noCompany).path("detail").asString()).contains("settings.companyId").contains("digits");

        HttpResponse<String> badUrl = alpha.send("POST", "/api/v1/partners/alpha-check/connections",
                yclients("alpha-check-y", Map.of("baseUrl", "ftp://x", "companyId", "12")));
        assertThat(json(badUrl).path("detail").asString()).contains("settings.baseUrl");

        Map<String, Object> iiko = new LinkedHashMap<>(yclients("alpha-check-i", Map.of("baseUrl", "http://127.0.0.1:9",
                "organizationIds", "not-a-uuid")));
        iiko.put("system", "iiko");
        HttpResponse<String> badIiko = alpha.send("POST", "/api/v1/partners/alpha-check/connections", iiko);
        assertThat(json(badIiko).path("detail").asString()).contains("settings.organizationIds").contains("credentials.apiLogin");

        Map<String, Object> amo = new LinkedHashMap<>(yclients("alpha-check-a", Map.of("subdomain", "Not A Subdomain")));
        amo.put("system", "amocrm");
        assertThat(json(alpha.send("POST", "/api/v1/partners/alpha-check/connections", amo)).path("detail").asString())
                .contains("settings.subdomain");

        Map<String, Object> unknown = new LinkedHashMap<>(yclients("alpha-check-u", Map.of()));
        unknown.put("system", "sap");
        assertThat(alpha.send("POST", "/api/v1/partners/alpha-check/connections", unknown).statusCode()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ops.partner_connection WHERE partner_id = 'alpha-check'",
                Integer.class)).isZero();
    }

    @Test
    void aPartnerRunsItsOwnConnectionAndNoOtherPartnerSeesOrTouchesIt() {
        sim = YclientsSimulator.start(YclientsDataSet.of(21, 120), 4564);
        PartnerApiClient alpha = new PartnerApiClient(port, TestTokens.partner("alpha"));
        PartnerApiClient beta = new PartnerApiClient(port, TestTokens.partner("beta"));
        String base = "/api/v1/partners/alpha/connections";

        HttpResponse<String> created = alpha.send("POST", base,
                yclients("alpha-yclients", Map.of("baseUrl", sim.baseUrl(), "companyId", "4564", "pageSize", "100")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(YclientsSimulator.USER_TOKEN).doesNotContain(YclientsSimulator.PARTNER_TOKEN)
                .doesNotContain("credentials");
        assertThat(json(created).path("status").asString()).isEqualTo("ACTIVE");
        assertThat(jdbc.queryForObject("SELECT partner_id || '/' || origin FROM ops.partner_connection WHERE id = 'alpha-yclients'",
                String.class)).isEqualTo("alpha/api");

        // another partner: refused on alpha's paths, and alpha's connection is unknown on its own paths
        assertThat(beta.get(base).statusCode()).isEqualTo(403);
        assertThat(beta.send("POST", base, yclients("beta-sneaks", Map.of("baseUrl", sim.baseUrl(), "companyId", "4564")))
                .statusCode()).isEqualTo(403);
        String betaOwn = "/api/v1/partners/beta/connections/alpha-yclients";
        for (String[] call : List.of(new String[]{"GET", ""}, new String[]{"PATCH", ""}, new String[]{"DELETE", ""},
                new String[]{"POST", "/sync"}, new String[]{"GET", "/sync-runs"}, new String[]{"GET", "/dead-letters"})) {
            HttpResponse<String> r = beta.send(call[0], betaOwn + call[1], call[0].equals("PATCH") ? Map.of("paused", true) : null);
            assertThat(r.statusCode()).as(call[0] + call[1]).isEqualTo(404);
            assertThat(r.body()).doesNotContain("4564");
            assertThat(beta.send(call[0], base + "/alpha-yclients" + call[1],
                    call[0].equals("PATCH") ? Map.of("paused", true) : null).statusCode()).as(call[0] + call[1]).isEqualTo(403);
        }
        assertThat(json(beta.get("/api/v1/partners/beta/connections"))).isEmpty();

        // its own sync, runs and dead letters
        assertThat(alpha.send("POST", base + "/alpha-yclients/sync", null).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode runs = json(alpha.get(base + "/alpha-yclients/sync-runs"));
            return runs.size() == 1 && !runs.get(0).path("status").asString().equals("RUNNING");
        });
        assertThat(json(alpha.get(base + "/alpha-yclients/sync-runs")).get(0).path("recordsWritten").asLong()).isPositive();
        assertThat(alpha.get(base + "/alpha-yclients/dead-letters").statusCode()).isEqualTo(200);
        // OPS may act for any partner
        assertThat(json(new PartnerApiClient(port, TestTokens.ops()).get(base)).get(0).path("id").asString()).isEqualTo("alpha-yclients");

        // pause: no sync; resume
        HttpResponse<String> paused = alpha.send("PATCH", base + "/alpha-yclients", Map.of("paused", true));
        assertThat(json(paused).path("status").asString()).isEqualTo("PAUSED");
        assertThat(alpha.send("POST", base + "/alpha-yclients/sync", null).statusCode()).isEqualTo(409);
        HttpResponse<String> rescheduled = alpha.send("PATCH", base + "/alpha-yclients",
                Map.of("schedule", "0 0 4 1 1 ? 2099", "settings", Map.of("pageSize", "50")));
        assertThat(json(rescheduled).path("status").asString()).as("a paused connection stays paused when changed").isEqualTo("PAUSED");
        assertThat(json(rescheduled).path("settings").path("pageSize").asString()).isEqualTo("50");
        assertThat(json(rescheduled).path("schedule").asString()).isEqualTo("0 0 4 1 1 ? 2099");
        assertThat(alpha.send("PATCH", base + "/alpha-yclients", Map.of("settings", Map.of("pageSize", "many"))).body())
                .contains("settings.pageSize");
        assertThat(json(alpha.send("PATCH", base + "/alpha-yclients", Map.of("paused", false))).path("status").asString())
                .isEqualTo("ACTIVE");

        // rotated credentials: never returned, stored encrypted
        HttpResponse<String> rotated = alpha.send("PATCH", base + "/alpha-yclients",
                Map.of("credentials", Map.of("partnerToken", "rotated-partner", "userToken", "rotated-user")));
        assertThat(rotated.statusCode()).isEqualTo(200);
        assertThat(rotated.body()).doesNotContain("rotated-");

        // delete: stopped, credentials forgotten, staged data kept
        long staged = jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'alpha-yclients'", Long.class);
        assertThat(staged).isPositive();
        assertThat(alpha.send("DELETE", base + "/alpha-yclients", null).statusCode()).isEqualTo(204);
        assertThat(json(alpha.get(base))).isEmpty();
        assertThat(json(alpha.get(base + "/alpha-yclients")).path("status").asString()).isEqualTo("DELETED");
        assertThat(alpha.send("POST", base + "/alpha-yclients/sync", null).statusCode()).isEqualTo(409);
        assertThat(alpha.send("PATCH", base + "/alpha-yclients", Map.of("paused", false)).statusCode()).isEqualTo(409);
        assertThat(json(alpha.get(base + "/alpha-yclients/sync-runs"))).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'alpha-yclients'", Long.class))
                .isEqualTo(staged);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM qrtz_job_details WHERE job_name = 'alpha-yclients'", Integer.class))
                .isZero();
    }
}
