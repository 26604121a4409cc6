package ru.svoykrug.hub.warehouse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.nightly.NightScenario;
import ru.svoykrug.hub.nightly.StagingFixture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A medical partner's per-partner figures, role by role, on every endpoint that shows per-partner figures:
 * ops analytics (a medical connection's RFM scope and segment movements, sales and points per partner and
 * day), the customer API and the cashier's answer. Ops without the medical grant and other partners never
 * learn that a customer visits the clinic; ops with the grant and the patient do.
 */
class MedicalFiguresTest extends NightScenario {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Europe/Moscow"));
    private static final String CLINIC = "medfig-clinic";
    private static final String CLINIC_PARTNER = "medfig-clinic";
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void onlyTheGrantTheClinicAndThePatientSeeTheClinicsFigures() throws Exception {
        connections.ensure(new ConnectionDefinition(CLINIC, "Medfig Clinic", "file", "Europe/Moscow", true,
                "0 0 3 1 1 ? 2099", Map.of(), Map.of()));
        StagingFixture clinic = StagingFixture.partner(connections, jdbc, CLINIC);
        StagingFixture shop = partner("medfig-shop");
        for (int c = 0; c < 6; c++) {
            shop.customer("p" + c, "+7926444000" + c);
            clinic.customer("p" + c, "+7926444000" + c);
            shop.sale("p" + c, TODAY.minusDays(60 + c), 1_000);
            clinic.sale("p" + c, TODAY.minusDays(40 + c), 3_000);
        }
        LocalDate before = TODAY.minusDays(4);
        LocalDate night = TODAY.minusDays(3);
        night(before);
        night(night);
        long patient = shop.customerId("p0");
        String range = "from=" + TODAY.minusYears(1) + "&to=" + night;

        // ops without the grant
        String ops = TestTokens.ops();
        for (String path : List.of("/segments?scope=" + CLINIC + "&" + range, "/segment-movements?scope=" + CLINIC + "&night=" + night)) {
            HttpResponse<String> refused = get("/api/v1/ops/analytics" + path, ops);
            assertThat(refused.statusCode()).as(path).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(refused.body()).doesNotContain("customers");
        }
        assertThat(get("/api/v1/ops/analytics/segments?scope=medfig-shop&" + range, ops).statusCode()).isEqualTo(200);
        assertThat(partners(get("/api/v1/ops/analytics/partner-days?" + range, ops)))
                .contains("partner-medfig-shop").doesNotContain(CLINIC_PARTNER);
        assertThat(partners(get("/api/v1/ops/analytics/partner-days?partner=" + CLINIC_PARTNER + "&" + range, ops))).isEmpty();

        // ops with the grant
        String medical = TestTokens.opsMedical();
        JsonNode segments = JSON.readTree(get("/api/v1/ops/analytics/segments?scope=" + CLINIC + "&" + range, medical).body());
        assertThat(segments.valueStream().mapToLong(s -> s.path("customers").asLong()).sum()).as("the clinic's scope on two nights")
                .isEqualTo(12);
        assertThat(get("/api/v1/ops/analytics/segment-movements?scope=" + CLINIC + "&night=" + night, medical).statusCode()).isEqualTo(200);
        assertThat(partners(get("/api/v1/ops/analytics/partner-days?" + range, medical))).contains("partner-medfig-shop", CLINIC_PARTNER);

        // partners: no analytics at all; the shop's cashier learns nothing of the clinic
        for (String partner : List.of("partner-medfig-shop", CLINIC_PARTNER)) {
            assertThat(get("/api/v1/ops/analytics/partner-days?" + range, TestTokens.partner(partner)).statusCode()).isEqualTo(403);
        }
        HttpResponse<String> cashier = post("/api/v1/partners/partner-medfig-shop/redemptions", TestTokens.partner("partner-medfig-shop"),
                "{\"phone\": \"+79264440000\", \"points\": 10, \"receiptRef\": \"medfig-1\"}");
        assertThat(cashier.statusCode()).isEqualTo(201);
        assertThat(cashier.body()).doesNotContainIgnoringCase("medfig-clinic").doesNotContainIgnoringCase("clinic");

        // the patient sees their own visits, the clinic too
        JsonNode me = JSON.readTree(get("/api/v1/customers/me", TestTokens.customer(patient)).body());
        assertThat(me.path("partners").valueStream().map(p -> p.path("partnerId").asString()).toList()).contains(CLINIC_PARTNER);
    }

    private static List<String> partners(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).isEqualTo(200);
        return JSON.readTree(answer.body()).valueStream().map(d -> d.path("partner").asString()).distinct().toList();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", TestTokens.bearer(token)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", TestTokens.bearer(token)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
