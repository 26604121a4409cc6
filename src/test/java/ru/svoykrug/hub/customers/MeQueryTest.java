package ru.svoykrug.hub.customers;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.connections.ConnectionService;
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
 * {@code GET /customers/me} as one statement: a customer's figures include those of the local customers
 * merged into them (lots, daytime points, purchases), only open lots count (spent ones and those past
 * their expiry do not), and each answer writes its audit row while a 404 writes none. Core rows are
 * written here directly (what the night would write for these cases takes several nights) and removed after
 * each test.
 */
class MeQueryTest extends HubIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Europe/Moscow"));
    private static final long CIRCLE = 66_000_001L;
    private static final long MERGED = 66_000_002L;
    private static final long STRANGER = 66_000_003L;

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    ConnectionService connections;
    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void customers() {
        removeThem();
        connections.ensure(new ConnectionDefinition("meq-cafe", "Meq Cafe", "file", "Europe/Moscow", false,
                "0 0 3 1 1 ? 2099", Map.of(), Map.of()));
        connections.ensure(new ConnectionDefinition("meq-gym", "Meq Gym", "file", "Europe/Moscow", false,
                "0 0 3 1 1 ? 2099", Map.of(), Map.of()));
        jdbc.update("INSERT INTO core.customer (id, created_on) VALUES (?, current_date), (?, current_date)", CIRCLE, STRANGER);
        jdbc.update("INSERT INTO core.customer (id, merged_into, created_on) VALUES (?, ?, current_date)", MERGED, CIRCLE);
        lot("a-soon", CIRCLE, 0, 100, TODAY.plusDays(10));
        lot("a-pending", CIRCLE, 40, 0, null);
        lot("a-spent", CIRCLE, 0, 0, TODAY.plusDays(5));
        lot("b-later", MERGED, 0, 60, TODAY.plusDays(40));
        lot("b-soon-too", MERGED, 0, 15, TODAY.plusDays(10));
        lot("a-in-20-days", CIRCLE, 0, 8, TODAY.plusDays(20));
        lot("b-past-expiry", MERGED, 0, 25, TODAY);
        lot("c-other", STRANGER, 0, 500, TODAY.plusDays(3));
        jdbc.update("""
                INSERT INTO core.points_daytime (connection_id, source_id, customer_id, purchase_day, pending, tier)
                VALUES ('meq-cafe', 'b-today', ?, ?, 7, 'Base')""", MERGED, TODAY);
        purchase("meq-cafe", "p1", CIRCLE, TODAY.minusDays(20), true);
        purchase("meq-cafe", "p2", CIRCLE, TODAY.minusDays(9), true);
        purchase("meq-gym", "p3", MERGED, TODAY.minusDays(2), true);
        purchase("meq-gym", "p4", MERGED, TODAY.minusDays(1), false);
        purchase("meq-gym", "p5", STRANGER, TODAY.minusDays(1), true);
        jdbc.update("INSERT INTO core.customer_tier (customer_id, tier, spend_12m_kopecks, as_of) VALUES (?, 'Silver', 3500000, ?)",
                CIRCLE, TODAY.minusDays(1));
        jdbc.update("""
                INSERT INTO core.rfm (business_date, scope, customer_id, recency_days, frequency, monetary_kopecks, r, f, m, segment)
                SELECT coalesce(max(business_date), CAST(? AS date)), 'circle', ?, 9, 3, 3500000, 5, 3, 4, 'Loyal' FROM core.rfm""",
                TODAY.minusDays(1), CIRCLE);
        // written here as the night would write them: what the night does after, too (V36)
        jdbc.queryForList("SELECT core.answers_outdated('test')");
    }

    @Test
    void aCustomerSeesTheOpenLotsDaytimePointsAndVisitsOfTheCustomersMergedIntoThem() throws Exception {
        HttpResponse<String> answer = me(CIRCLE);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode me = JSON.readTree(answer.body());

        assertThat(me.at("/customerId").asLong()).isEqualTo(CIRCLE);
        assertThat(me.at("/points/active").asLong()).as("100 + 60 + 15 + 8; not the 25 past their expiry, not another's")
                .isEqualTo(183);
        assertThat(me.at("/points/pending").asLong()).as("40 of a lot + 7 of today's sales").isEqualTo(47);
        assertThat(me.at("/points/expiringIn30Days").asLong()).isEqualTo(100 + 15 + 8);
        assertThat(me.at("/points/expiring").size()).as("one entry a day, the lots of both ids of the day together").isEqualTo(2);
        assertThat(me.at("/points/expiring/0/on").asString()).isEqualTo(TODAY.plusDays(10).toString());
        assertThat(me.at("/points/expiring/0/points").asLong()).isEqualTo(115);
        assertThat(me.at("/points/expiring/1/on").asString()).isEqualTo(TODAY.plusDays(20).toString());
        assertThat(me.at("/points/expiring/1/points").asLong()).isEqualTo(8);
        assertThat(me.at("/tier/name").asString()).isEqualTo("Silver");
        assertThat(me.at("/tier/nextTier").asString()).isEqualTo("Gold");
        assertThat(me.at("/tier/spendToNextKopecks").asLong()).isEqualTo(10_000_000 - 3_500_000);
        assertThat(me.at("/segment/name").asString()).isEqualTo("Loyal");
        assertThat(me.at("/segment/monetary").asInt()).isEqualTo(4);
        assertThat(me.at("/tier/asOf").asString()).isEqualTo(TODAY.minusDays(1).toString());
        assertThat(me.at("/segment/asOf").asString()).isEqualTo(jdbc.queryForObject(
                "SELECT max(business_date)::text FROM core.rfm", String.class));
        assertThat(me.at("/consent/given").asBoolean()).isTrue();
        assertThat(me.at("/consent/recorded").asBoolean()).isFalse();
        assertThat(me.at("/partners").size()).isEqualTo(2);
        assertThat(me.at("/partners/0/partnerId").asString()).as("the latest visit first").isEqualTo("meq-gym");
        assertThat(me.at("/partners/0/purchases").asInt()).as("the completed one only").isEqualTo(1);
        assertThat(me.at("/partners/0/lastVisit").asString()).isEqualTo(TODAY.minusDays(2).toString());
        assertThat(me.at("/partners/1/name").asString()).isEqualTo("Meq Cafe");
        assertThat(me.at("/partners/1/purchases").asInt()).isEqualTo(2);
    }

    @Test
    void eachAnswerWritesItsAuditRowAndANotFoundNone() throws Exception {
        long before = reads(CIRCLE);
        assertThat(me(CIRCLE).statusCode()).isEqualTo(200);
        assertThat(me(CIRCLE).statusCode()).isEqualTo(200);
        assertThat(reads(CIRCLE)).isEqualTo(before + 2);
        assertThat(jdbc.queryForObject("""
                SELECT actor_subject || ' ' || actor_role || ' ' || array_to_string(fields, ',') FROM audit.entry
                 WHERE customer_id = ? AND action = 'READ' ORDER BY id DESC LIMIT 1""", String.class, CIRCLE))
                .isEqualTo(CIRCLE + " CUSTOMER points,tier,segment,partners,consent");

        assertThat(me(MERGED).statusCode()).as("merged into another: known by that one's id only").isEqualTo(404);
        assertThat(me(66_000_999L).statusCode()).isEqualTo(404);
        assertThat(reads(MERGED) + reads(66_000_999L)).isZero();
    }

    @Test
    void withoutConsentTheSegmentIsWithheld() throws Exception {
        jdbc.update("""
                INSERT INTO privacy.consent (customer_id, given, since, by_role, by_subject) VALUES (?, false, now(), 'CUSTOMER', ?)
                ON CONFLICT (customer_id) DO NOTHING""", STRANGER, String.valueOf(STRANGER));
        jdbc.queryForList("SELECT core.customers_changed(ARRAY[CAST(? AS bigint)])", STRANGER);
        JsonNode me = JSON.readTree(me(STRANGER).body());
        assertThat(me.at("/segment").isNull()).isTrue();
        assertThat(me.at("/segmentWithheld").asString()).contains("no consent");
        assertThat(me.at("/consent/recorded").asBoolean()).isTrue();
        assertThat(me.at("/consent/by").asString()).isEqualTo("CUSTOMER");
        assertThat(me.at("/tier/name").asString()).as("no tier row: the first tier").isEqualTo("Base");
        assertThat(me.at("/tier/asOf").isNull()).isTrue();
        assertThat(me.at("/points/active").asLong()).isEqualTo(500);
        assertThat(me.at("/partners/0/partnerId").asString()).isEqualTo("meq-gym");
    }

    /** Nothing of them is left for the other tests' nights (the audit rows stay: append-only). */
    @AfterEach
    void removeThem() {
        List<Long> ids = List.of(CIRCLE, MERGED, STRANGER);
        for (String table : List.of("core.points_lot", "core.points_daytime", "core.purchase", "core.customer_tier", "core.rfm",
                "privacy.consent", "core.customer_answer")) {
            jdbc.update("DELETE FROM " + table + " WHERE customer_id IN (?, ?, ?)", ids.toArray());
        }
        jdbc.update("DELETE FROM core.customer WHERE id IN (?, ?, ?)", ids.toArray());
    }

    private void lot(String source, long customer, long pending, long active, LocalDate expiresOn) {
        jdbc.update("""
                INSERT INTO core.points_lot (connection_id, source_id, customer_id, earned, pending, active, earned_on, activates_on,
                                             activated, expires_on)
                VALUES ('meq-cafe', ?, ?, 200, ?, ?, ?, ?, ?, ?)""", source, customer, pending, active, TODAY.minusMonths(3),
                TODAY.minusMonths(3).plusDays(14), expiresOn != null, expiresOn);
    }

    private void purchase(String connection, String source, long customer, LocalDate day, boolean completed) {
        jdbc.update("""
                INSERT INTO core.purchase (connection_id, source_id, customer_id, occurred_at, purchase_day, amount_kopecks, completed)
                VALUES (?, ?, ?, CAST(? AS date) + time '12:00', ?, 100000, ?)""", connection, source, customer, day, day, completed);
    }

    private long reads(long customer) {
        return jdbc.queryForObject("SELECT count(*) FROM audit.entry WHERE customer_id = ? AND action = 'READ' AND channel = ?",
                Long.class, customer, MeAnswers.CHANNEL);
    }

    private HttpResponse<String> me(long customer) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/customers/me"))
                .header("Authorization", TestTokens.bearer(TestTokens.customer(customer))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
