package ru.svoykrug.hub.customers;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.nightly.StagingFixture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The customer API and the cashier's redemptions over HTTP with real tokens: a customer's own points,
 * ledger and purchases (a medical partner's purchases without the partner), pages by cursor, redemptions
 * with an idempotency key, the cashier by phone and its same-day cancellation, and the problems.
 * Dates are relative to today: the night can only run for past days.
 */
class CustomerApiTest extends HubIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Europe/Moscow"));
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    ConnectionService connections;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    NightlyRuns runs;

    private static long customer;
    private static LocalDate oldExpires;

    /** One customer of a shop and a medical clinic (once for the class: a night costs seconds). */
    @BeforeEach
    void circle() {
        if (customer != 0) {
            return;
        }
        connections.ensure(new ConnectionDefinition("capi-clinic", "Capi Clinic", "file", "Europe/Moscow", true,
                "0 0 3 1 1 ? 2099", Map.of(), Map.of()));
        StagingFixture clinic = StagingFixture.partner(connections, jdbc, "capi-clinic");
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "capi-shop");
        shop.customer("a", "+79267770021");
        clinic.customer("a", "+79267770021");
        LocalDate old = TODAY.minusMonths(12).minusDays(4);
        shop.sale("a", old, 10_000);                       // 500 points, expire in about 10 days
        clinic.sale("a", TODAY.minusDays(60), 4_000);      // 200 points
        shop.sale("a", TODAY.minusDays(3), 2_000);         // 100 points, pending
        oldExpires = old.plusDays(14).plusMonths(12);
        assertThat(runs.runAndWait(TODAY.minusDays(1), Duration.ofMinutes(5)).getStatus().name()).isEqualTo("COMPLETED");
        customer = shop.customerId("a");
    }

    @Test
    void meShowsPointsExpiryTierSegmentAndPartners() throws Exception {
        HttpResponse<String> answer = get("/api/v1/customers/me", TestTokens.customer(customer));
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode me = JSON.readTree(answer.body());
        long active = me.at("/points/active").asLong();

        assertThat(me.at("/customerId").asLong()).isEqualTo(customer);
        assertThat(active).as("less whatever the other tests of this class spent").isLessThanOrEqualTo(700);
        assertThat(me.at("/points/pending").asLong()).isEqualTo(100);
        assertThat(me.at("/points/expiring/0/on").asString()).isEqualTo(oldExpires.toString());
        assertThat(me.at("/tier/name").asString()).isEqualTo("Base");
        assertThat(me.at("/tier/spend12mKopecks").asLong()).isEqualTo(600_000);
        assertThat(me.at("/tier/nextTier").asString()).isEqualTo("Silver");
        assertThat(me.at("/tier/spendToNextKopecks").asLong()).isEqualTo(3_000_000 - 600_000);
        assertThat(me.at("/segment/name").asString()).isNotBlank();
        List<String> partners = new ArrayList<>();
        me.at("/partners").forEach(p -> partners.add(p.at("/name").asString()));
        assertThat(partners).as("their own visits, the clinic too").containsExactlyInAnyOrder("Capi Clinic", "Partner capi-shop");

        assertThat(get("/api/v1/customers/me", TestTokens.customer(987_654_321L)).statusCode()).isEqualTo(404);
    }

    @Test
    void ledgerAndPurchasesComeNewestFirstInPagesAndAMedicalPurchaseNamesNoPartner() throws Exception {
        List<JsonNode> purchases = all("/api/v1/customers/me/purchases", 2);
        assertThat(purchases).hasSize(3);
        assertThat(purchases.get(0).at("/day").asString()).isEqualTo(TODAY.minusDays(3).toString());
        JsonNode medical = purchases.get(1);
        assertThat(medical.at("/partner").isNull()).isTrue();
        assertThat(medical.at("/occurredAt").isNull()).isTrue();
        assertThat(medical.at("/amountKopecks").asLong()).isEqualTo(400_000);
        assertThat(purchases.get(2).at("/partner/id").asString()).isEqualTo("partner-capi-shop");

        List<JsonNode> entries = all("/api/v1/customers/me/points", 2);
        assertThat(entries.stream().filter(e -> e.at("/type").asString().matches("EARN|ACTIVATE")).count()).isEqualTo(5);
        for (int k = 1; k < entries.size(); k++) {
            assertThat(entries.get(k).at("/id").asLong()).isLessThan(entries.get(k - 1).at("/id").asLong());
        }
        String nul = PageCursor.encode("purchases", 1_000_000L, "capi-shop/s1\u0000");
        String farFuture = PageCursor.encode("purchases", Long.MAX_VALUE / 2, "capi-shop/s1");
        for (String bad : List.of("points?limit=0", "points?limit=101", "points?limit=x", "points?cursor=not-ours",
                "purchases?cursor=" + nul, "purchases?cursor=" + farFuture, "purchases?cursor=" + PageCursor.encode("points", 5))) {
            HttpResponse<String> refused = get("/api/v1/customers/me/" + bad, TestTokens.customer(customer));
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
    }

    @Test
    void aCustomerRedeemsOnceForAKeyAndTooManyPointsIsAConflictWithTheBalance() throws Exception {
        String token = TestTokens.customer(customer);
        long before = JSON.readTree(get("/api/v1/customers/me", token).body()).at("/points/active").asLong();
        String body = "{\"partnerId\": \"partner-capi-shop\", \"points\": 40}";

        HttpResponse<String> first = post("/api/v1/customers/me/redemptions", token, body, "key-1");
        HttpResponse<String> again = post("/api/v1/customers/me/redemptions", token, body, "key-1");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(JSON.readTree(again.body()).at("/id").asLong()).isEqualTo(JSON.readTree(first.body()).at("/id").asLong());
        assertThat(JSON.readTree(get("/api/v1/customers/me", token).body()).at("/points/active").asLong()).isEqualTo(before - 40);
        JsonNode newest = JSON.readTree(get("/api/v1/customers/me/points?limit=1", token).body()).at("/items/0");
        assertThat(newest.at("/type").asString()).isEqualTo("REDEEM");
        assertThat(newest.at("/partner/id").asString()).isEqualTo("partner-capi-shop");

        HttpResponse<String> tooMany = post("/api/v1/customers/me/redemptions", token,
                "{\"partnerId\": \"partner-capi-shop\", \"points\": 100000}", "key-2");
        assertThat(tooMany.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(tooMany.body()).at("/balance").asLong()).isEqualTo(before - 40);
        assertThat(post("/api/v1/customers/me/redemptions", token, body, null).statusCode()).as("no key").isEqualTo(400);
        assertThat(post("/api/v1/customers/me/redemptions", token, "{\"partnerId\": \"partner-capi-shop\", \"points\": -5}", "k3")
                .statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/customers/me/redemptions", token, "{\"partnerId\": \"nobody\", \"points\": 5}", "k4")
                .statusCode()).isEqualTo(404);
    }

    @Test
    void aCashierRedeemsByPhoneOncePerReceiptAndCancelsTheSameDay() throws Exception {
        String till = TestTokens.partner("partner-capi-shop");
        long before = JSON.readTree(get("/api/v1/customers/me", TestTokens.customer(customer)).body()).at("/points/active").asLong();
        String body = "{\"phone\": \"8 (926) 777-00-21\", \"points\": 25, \"receiptRef\": \"R-1001\"}";

        HttpResponse<String> made = post("/api/v1/partners/partner-capi-shop/redemptions", till, body, null);
        HttpResponse<String> again = post("/api/v1/partners/partner-capi-shop/redemptions", till, body, null);
        assertThat(made.statusCode()).isEqualTo(201);
        long id = JSON.readTree(made.body()).at("/id").asLong();
        assertThat(JSON.readTree(made.body()).at("/customerId").asLong()).isEqualTo(customer);
        assertThat(JSON.readTree(made.body()).has("phone")).as("the phone is not repeated").isFalse();
        assertThat(JSON.readTree(again.body()).at("/id").asLong()).isEqualTo(id);
        assertThat(post("/api/v1/partners/partner-capi-shop/redemptions", TestTokens.partner("capi-clinic"), body, null)
                .statusCode()).as("another partner's token").isEqualTo(403);
        assertThat(post("/api/v1/partners/partner-capi-shop/redemptions", till,
                "{\"phone\": \"+79990000000\", \"points\": 1, \"receiptRef\": \"R-1\"}", null).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(get("/api/v1/customers/me", TestTokens.customer(customer)).body()).at("/points/active").asLong())
                .isEqualTo(before - 25);

        HttpResponse<String> cancelled = post("/api/v1/partners/partner-capi-shop/redemptions/" + id + "/cancel", till, "", null);
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).at("/status").asString()).isEqualTo("CANCELLED");
        assertThat(post("/api/v1/partners/capi-clinic/redemptions/" + id + "/cancel",
                TestTokens.partner("capi-clinic"), "", null).statusCode()).as("not its redemption").isEqualTo(404);
        assertThat(JSON.readTree(get("/api/v1/customers/me", TestTokens.customer(customer)).body()).at("/points/active").asLong())
                .isEqualTo(before);
    }

    private List<JsonNode> all(String path, int limit) throws Exception {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> page = get(path + "?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor),
                    TestTokens.customer(customer));
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode json = JSON.readTree(page.body());
            assertThat(json.at("/items").size()).isLessThanOrEqualTo(limit);
            json.at("/items").forEach(items::add);
            cursor = json.at("/nextCursor").isNull() ? null : json.at("/nextCursor").asString();
        } while (cursor != null);
        return items;
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", TestTokens.bearer(token)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", TestTokens.bearer(token)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
