package ru.svoykrug.hub.security;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of the API, found in the handler mappings: without a token 401, with a forged or
 * expired one 401, with a role that is not its own 403, another partner's token 403; and the refusals
 * are problems. Nothing of a refused request reaches the hub's work (no night starts).
 */
class EveryDoorLockedTest extends HubIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theApiHasOpsEndpointsToCheck() {
        assertThat(ApiEndpoints.of(mapping).under("/api/v1/ops/")).extracting(Object::toString)
                .contains("POST /api/v1/ops/jobs/nightly/runs", "POST /api/v1/ops/connections/{id}/sync", "GET /api/v1/ops/connections");
    }

    @Test
    void everyEndpointRefusesAMissingForgedOrExpiredToken() throws Exception {
        for (ApiEndpoints.Endpoint e : ApiEndpoints.of(mapping).all()) {
            String path = e.path("mindal", "1");
            assertRefused(send(e, path, null), 401, e + " without a token");
            assertRefused(send(e, path, TestTokens.forgedOps()), 401, e + " with a forged token");
            assertRefused(send(e, path, TestTokens.expiredOps()), 401, e + " with an expired token");
            assertRefused(send(e, path, "not-a-jwt"), 401, e + " with garbage for a token");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Long.class))
                .as("no refused request started a night").isZero();
    }

    @Test
    void opsEndpointsRefuseEveryOtherRole() throws Exception {
        for (ApiEndpoints.Endpoint e : ApiEndpoints.of(mapping).under("/api/v1/ops/")) {
            String path = e.path("mindal", "1");
            assertRefused(send(e, path, TestTokens.customer(1)), 403, e + " as a customer");
            assertRefused(send(e, path, TestTokens.partner("mindal")), 403, e + " as a partner");
        }
    }

    @Test
    void partnerEndpointsServeOnlyTheirOwnPartnerOrOps() throws Exception {
        for (ApiEndpoints.Endpoint e : ApiEndpoints.of(mapping).under("/api/v1/partners/")) {
            String path = e.path("mindal", "1");
            assertRefused(send(e, path, TestTokens.partner("steam-center")), 403, e + " with another partner's token");
            assertRefused(send(e, path, TestTokens.customer(1)), 403, e + " as a customer");
            assertThat(send(e, path, TestTokens.partner("mindal")).statusCode()).as(e + " as its partner").isNotIn(401, 403);
            assertThat(send(e, path, TestTokens.ops()).statusCode()).as(e + " as ops").isNotIn(401, 403);
        }
    }

    @Test
    void customerEndpointsServeOnlyCustomers() throws Exception {
        for (ApiEndpoints.Endpoint e : ApiEndpoints.of(mapping).under("/api/v1/customers/")) {
            String path = e.path("mindal", "1");
            assertRefused(send(e, path, TestTokens.partner("mindal")), 403, e + " as a partner");
            assertRefused(send(e, path, TestTokens.ops()), 403, e + " as ops: a customer's data is the customer's");
        }
    }

    @Test
    void aPartnerPathIsRefusedToAnotherPartnerEvenWhereNoEndpointIsYet() throws Exception {
        HttpResponse<String> other = get("/api/v1/partners/mindal/anything", TestTokens.partner("steam-center"));
        assertRefused(other, 403, "another partner");
        assertThat(get("/api/v1/partners/mindal/anything", TestTokens.partner("mindal")).statusCode()).isEqualTo(404);
        assertRefused(get("/api/v1/customers/me", TestTokens.partner("mindal")), 403, "a partner at a customer's me");
        assertRefused(get("/api/v1/somewhere-else", null), 401, "a path no rule names, without a token");
    }

    @Test
    void healthSaysOnlyUpOrDownWithoutATokenAndMetricsNeedOps() throws Exception {
        HttpResponse<String> anonymous = get("/actuator/health", null);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).contains("\"status\":\"UP\"").doesNotContain("components").doesNotContain("db");
        assertThat(get("/actuator/health", TestTokens.ops()).body()).contains("components");
        for (String path : new String[]{"/actuator/prometheus", "/actuator/metrics", "/actuator"}) {
            assertRefused(get(path, null), 401, path);
            assertRefused(get(path, TestTokens.customer(1)), 403, path + " as a customer");
            assertThat(get(path, TestTokens.ops()).statusCode()).as(path + " as ops").isEqualTo(200);
        }
    }

    @Test
    void theOpenApiDocumentIsOpenAndDeclaresTheBearerScheme() throws Exception {
        HttpResponse<String> doc = get("/v3/api-docs", null);
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(doc.body()).contains("\"bearer-jwt\"").contains("\"scheme\":\"bearer\"").contains("\"bearerFormat\":\"JWT\"");
        assertThat(get("/swagger-ui/index.html", null).statusCode()).isEqualTo(200);
    }

    private static void assertRefused(HttpResponse<String> response, int status, String what) {
        assertThat(response.statusCode()).as(what).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(what)
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body()).as(what).contains("\"status\":" + status).doesNotContain("Exception");
        if (status == 401) {
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(what).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (token != null) request.header("Authorization", TestTokens.bearer(token));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(ApiEndpoints.Endpoint e, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(e.method(), e.hasBody() ? HttpRequest.BodyPublishers.ofString("{\"businessDate\":\"2026-01-01\"}")
                        : HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", "application/json");
        if (token != null) request.header("Authorization", TestTokens.bearer(token));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
