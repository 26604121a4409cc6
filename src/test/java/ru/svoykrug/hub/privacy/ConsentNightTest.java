package ru.svoykrug.hub.privacy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.nightly.NightScenario;
import ru.svoykrug.hub.nightly.StagingFixture;
import ru.svoykrug.hub.warehouse.Warehouse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consent over HTTP and through the night: a customer who withdraws is left out of the next night's RFM,
 * churn scores and export, and the customer API withholds their segment saying why; given again, the next
 * night takes them back. Every word is audited. Dates relative to today (a night runs for past days only).
 */
class ConsentNightTest extends NightScenario {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Europe/Moscow"));
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    Warehouse warehouse;

    @Test
    void withdrawnConsentLeavesTheCustomerOutOfTheNextNightAndGivingItAgainBringsThemBack() throws Exception {
        StagingFixture shop = partner("consent-shop");
        for (int c = 0; c < 12; c++) {
            shop.customer("c" + c, "+7926713" + String.format("%04d", c)); // phones no other test stages
            for (int k = 0; k <= c % 3; k++) {
                shop.sale("c" + c, TODAY.minusDays(20 + 7L * k + c), 500 + 10L * c);
            }
        }
        LocalDate first = TODAY.minusDays(6);
        LocalDate second = TODAY.minusDays(5);
        LocalDate third = TODAY.minusDays(4);
        night(first);
        long withdrawing = shop.customerId("c5");
        long other = shop.customerId("c6");
        String token = TestTokens.customer(withdrawing);
        assertThat(processed(withdrawing, first)).as("scored before anything was said (the default)").isEqualTo(new Processed(2, 1, 2, 1));

        JsonNode before = JSON.readTree(send("GET", "/api/v1/customers/me/consent", token, null).body());
        assertThat(before.path("given").asBoolean()).isTrue();
        assertThat(before.path("recorded").asBoolean()).isFalse();

        HttpResponse<String> withdrawn = send("PUT", "/api/v1/customers/me/consent", token, "{\"given\": false}");
        assertThat(withdrawn.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(withdrawn.body()).path("given").asBoolean()).isFalse();
        assertThat(JSON.readTree(withdrawn.body()).path("by").asString()).isEqualTo("CUSTOMER");
        JsonNode me = JSON.readTree(send("GET", "/api/v1/customers/me", token, null).body());
        assertThat(me.path("consent").path("given").asBoolean()).isFalse();
        assertThat(me.path("segment").isNull()).as("withheld at once, whatever the last night computed").isTrue();
        assertThat(me.path("segmentWithheld").asString()).contains("no consent");

        night(second);
        assertThat(processed(withdrawing, second)).isEqualTo(new Processed(0, 0, 0, 0));
        assertThat(processed(other, second)).as("the others are still scored and exported").isEqualTo(new Processed(2, 1, 2, 1));

        send("PUT", "/api/v1/customers/me/consent", token, "{\"given\": true}");
        night(third);
        assertThat(processed(withdrawing, third)).isEqualTo(new Processed(2, 1, 2, 1));
        assertThat(JSON.readTree(send("GET", "/api/v1/customers/me", token, null).body()).path("segment").path("name").asString())
                .isNotBlank();

        assertThat(jdbc.queryForList("""
                SELECT array_to_string(fields, ',') FROM audit.entry WHERE customer_id = ? AND action = 'CONSENT' ORDER BY id""",
                String.class, withdrawing)).containsExactly("consent.withdrawn", "consent.given");
        JsonNode audit = JSON.readTree(send("GET", "/api/v1/ops/audit?customerId=" + withdrawing, TestTokens.ops(), null).body());
        List<String> seen = audit.path("items").valueStream()
                .map(i -> i.path("action").asString() + " " + i.path("channel").asString()).toList();
        assertThat(seen).contains("CONSENT PUT /api/v1/customers/me/consent", "READ GET /api/v1/customers/me",
                "READ GET /api/v1/customers/me/consent", "CHANGE sync:consent-shop");

        // on the customer's behalf: their partner's desk, ops; another partner learns nothing
        String own = "/api/v1/partners/partner-consent-shop/customers/" + other + "/consent";
        HttpResponse<String> byPartner = send("PUT", own, TestTokens.partner("partner-consent-shop"), "{\"given\": false}");
        assertThat(byPartner.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(byPartner.body()).path("by").asString()).isEqualTo("PARTNER");
        HttpResponse<String> elsewhere = send("PUT", "/api/v1/partners/partner-elsewhere/customers/" + other + "/consent",
                TestTokens.partner("partner-elsewhere"), "{\"given\": true}");
        assertThat(elsewhere.statusCode()).as("not its customer: as if unknown").isEqualTo(404);
        assertThat(send("PUT", own, TestTokens.partner("partner-elsewhere"), "{\"given\": true}").statusCode()).isEqualTo(403);
        String opsPath = "/api/v1/ops/customers/" + other + "/consent";
        assertThat(JSON.readTree(send("GET", opsPath, TestTokens.ops(), null).body()).path("given").asBoolean()).isFalse();
        HttpResponse<String> byOps = send("PUT", opsPath, TestTokens.ops(), "{\"given\": true}");
        assertThat(JSON.readTree(byOps.body()).path("by").asString()).isEqualTo("OPS");
        assertThat(send("GET", "/api/v1/ops/customers/987654321/consent", TestTokens.ops(), null).statusCode()).isEqualTo(404);
        assertThat(jdbc.queryForList("SELECT actor_role FROM audit.entry WHERE customer_id = ? AND action = 'CONSENT' ORDER BY id",
                String.class, other)).containsExactly("PARTNER", "OPS");
    }

    @Test
    void aConsentNeedsABodySayingGivenAndAKnownCustomer() throws Exception {
        StagingFixture shop = partner("consent-shop-2");
        shop.customer("x", "+79267139999");
        HttpResponse<String> unknown = send("PUT", "/api/v1/customers/me/consent", TestTokens.customer(987_654_321L), "{\"given\": true}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        for (String bad : List.of("{}", "{\"given\": \"maybe\"}", "[]", "null")) {
            HttpResponse<String> refused = send("PUT", "/api/v1/customers/me/consent", TestTokens.customer(1), bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
        assertThat(send("PUT", "/api/v1/customers/me/consent", TestTokens.ops(), "{\"given\": true}").statusCode()).isEqualTo(403);
    }

    @Test
    void underAWithheldDefaultNobodyWithoutAWordIsProcessed() {
        jdbc.update("INSERT INTO core.customer (id, created_on) VALUES (987654000, current_date) ON CONFLICT DO NOTHING");
        String listed = "SELECT count(*) FROM privacy.unconsented WHERE customer_id = 987654000";
        try {
            assertThat(jdbc.queryForObject(listed, Long.class)).isZero();
            jdbc.update("UPDATE privacy.policy SET default_given = false");
            assertThat(jdbc.queryForObject(listed, Long.class)).isEqualTo(1);
        } finally {
            jdbc.update("UPDATE privacy.policy SET default_given = true");
            jdbc.update("DELETE FROM core.customer WHERE id = 987654000");
        }
    }

    /** The customer's rows of the night: RFM in PostgreSQL (circle and partner), churn score; RFM and churn in ClickHouse. */
    private Processed processed(long customer, LocalDate night) {
        long rfm = jdbc.queryForObject("SELECT count(*) FROM core.rfm WHERE customer_id = ? AND business_date = ?", Long.class,
                customer, night);
        long churn = jdbc.queryForObject("SELECT count(*) FROM core.churn_score WHERE customer_id = ? AND business_date = ?",
                Long.class, customer, night);
        long exportedRfm = warehouse.query("SELECT count() AS n FROM rfm_segments WHERE customer_id = %d AND business_date = toDate('%s')"
                .formatted(customer, night)).get(0).path("n").asLong();
        long exportedChurn = warehouse.query("SELECT count() AS n FROM churn_predictions WHERE customer_id = %d AND business_date = toDate('%s')"
                .formatted(customer, night)).get(0).path("n").asLong();
        return new Processed(rfm, churn, exportedRfm, exportedChurn);
    }

    private record Processed(long rfm, long churn, long exportedRfm, long exportedChurn) {
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", TestTokens.bearer(token));
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
