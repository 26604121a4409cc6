package ru.svoykrug.hub.warehouse;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.nightly.StagingFixture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import ru.svoykrug.hub.TestTokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The ops analytics endpoints answer, from ClickHouse, what the nights exported: checked against PostgreSQL. */
class AnalyticsApiTest extends HubIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final LocalDate BEFORE = LocalDate.of(2025, 11, 29);
    private static final LocalDate NIGHT = BEFORE.plusDays(1);

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    ConnectionService connections;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    NightlyRuns runs;

    @Test
    void segmentsMovementsChurnRiskPartnerDaysAndCohortsAreWhatTheNightsExported() throws Exception {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "wh-api");
        for (int c = 0; c < 15; c++) {
            for (int k = 0; k <= c % 3; k++) {
                shop.sale("a-" + c, BEFORE.minusDays(1 + 40L * k + 9L * c), 200 + 10L * c);
            }
        }
        night(BEFORE);
        Map<String, Long> sizesBefore = circleSegmentSizes(BEFORE);
        Map<Long, String> segmentsBefore = circleSegments(BEFORE);

        for (int c = 0; c < 15; c += 2) {
            shop.sale("a-" + c, NIGHT, 500);
        }
        night(NIGHT);
        Map<String, Long> sizes = circleSegmentSizes(NIGHT);
        Map<Long, String> segments = circleSegments(NIGHT);

        JsonNode sizesAnswer = get("/api/v1/ops/analytics/segments?from=" + BEFORE + "&to=" + NIGHT);
        assertThat(sizesOf(sizesAnswer, BEFORE)).isEqualTo(sizesBefore);
        assertThat(sizesOf(sizesAnswer, NIGHT)).isEqualTo(sizes);

        JsonNode movements = get("/api/v1/ops/analytics/segment-movements?night=" + NIGHT);
        assertThat(movements.path("previousNight").asString()).isEqualTo(BEFORE.toString());
        Map<String, Long> moved = new TreeMap<>();
        for (JsonNode m : movements.path("movements")) {
            moved.put(m.path("fromSegment").asString("-") + " > " + m.path("toSegment").asString("-"), m.path("customers").asLong());
        }
        assertThat(moved).isEqualTo(movementsBetween(segmentsBefore, segments));

        Map<Integer, Long> deciles = new TreeMap<>();
        for (JsonNode d : get("/api/v1/ops/analytics/churn-risk?from=" + NIGHT + "&to=" + NIGHT)) {
            deciles.put(d.path("decile").asInt(), d.path("customers").asLong());
        }
        Map<Integer, Long> expectedDeciles = new TreeMap<>();
        jdbc.query("""
                SELECT least(floor(churn_risk * 10), 9)::int AS decile, count(*) FROM core.churn_score
                 WHERE business_date = ? GROUP BY 1""", rs -> {
            expectedDeciles.put(rs.getInt(1), rs.getLong(2));
        }, NIGHT);
        assertThat(deciles).isEqualTo(expectedDeciles).isNotEmpty();

        String partner = jdbc.queryForObject("SELECT partner_id FROM ops.partner_connection WHERE id = 'wh-api'", String.class);
        Map<String, String> days = new TreeMap<>();
        for (JsonNode d : get("/api/v1/ops/analytics/partner-days?partner=" + partner + "&from=" + BEFORE.minusYears(2) + "&to=" + NIGHT)) {
            days.put(d.path("day").asString(), d.path("sales").asLong() + " sales, " + d.path("netKopecks").asLong() + " net, "
                    + d.path("pointsEarned").asLong() + " earned");
        }
        Map<String, String> expectedDays = new TreeMap<>();
        jdbc.query("""
                SELECT day::text, sum(sales), sum(net), sum(earned) FROM (
                    SELECT purchase_day AS day, count(*) AS sales, sum(amount_kopecks) AS net, 0 AS earned
                      FROM core.purchase WHERE connection_id = 'wh-api' GROUP BY 1
                    UNION ALL
                    SELECT effective_on, 0, 0, sum(CASE WHEN entry_type = 'EARN' THEN pending_delta + active_delta ELSE 0 END)
                      FROM core.points_ledger WHERE connection_id = 'wh-api' GROUP BY 1) d
                 GROUP BY 1""", rs -> {
            expectedDays.put(rs.getString(1), rs.getLong(2) + " sales, " + rs.getLong(3) + " net, " + rs.getLong(4) + " earned");
        });
        assertThat(days).isEqualTo(expectedDays);

        JsonNode cohorts = get("/api/v1/ops/analytics/cohorts");
        long exportedCustomers = 0;
        for (JsonNode cohort : cohorts) {
            exportedCustomers += cohort.path("customers").asLong();
            assertThat(cohort.path("months").get(0).path("retention").asDouble()).isEqualTo(1.0);
        }
        assertThat(exportedCustomers).as("every customer with a sale exported is in one cohort").isEqualTo(jdbc.queryForObject(
                "SELECT count(DISTINCT customer_id) FROM warehouse.purchase_event WHERE event_type = 'sale'", Long.class));

        JsonNode status = get("/api/v1/ops/analytics/status");
        assertThat(status.path("configured").asBoolean()).isTrue();
        assertThat(status.path("nightsExported")).extracting(JsonNode::asString).contains(BEFORE.toString(), NIGHT.toString());
    }

    /**
     * A partner reads its own share of the analytics: segments and movements in the scope of its connection, its
     * sales per day; another partner's connection is unknown to it, another partner's path refused, and the
     * circle's figures (everyone's customers) are not under its path at all.
     */
    @Test
    void aPartnerReadsItsOwnScopesAndDaysAndNothingOfAnotherPartners() throws Exception {
        LocalDate night = LocalDate.of(2025, 12, 20);
        StagingFixture mine = StagingFixture.partner(connections, jdbc, "wh-mine");
        StagingFixture theirs = StagingFixture.partner(connections, jdbc, "wh-theirs");
        for (int c = 0; c < 8; c++) {
            mine.sale("m-" + c, night.minusDays(1 + 11L * c), 300 + c);
            theirs.sale("t-" + c, night.minusDays(2 + 7L * c), 400 + c);
        }
        night(night);
        String me = jdbc.queryForObject("SELECT partner_id FROM ops.partner_connection WHERE id = 'wh-mine'", String.class);
        String other = jdbc.queryForObject("SELECT partner_id FROM ops.partner_connection WHERE id = 'wh-theirs'", String.class);
        String token = TestTokens.partner(me);
        String base = "/api/v1/partners/" + me + "/analytics";

        HttpResponse<String> segments = send(base + "/segments?scope=wh-mine&from=" + night + "&to=" + night, token);
        assertThat(segments.statusCode()).as(segments.body()).isEqualTo(200);
        Map<String, Long> expected = new TreeMap<>();
        jdbc.query("SELECT segment, count(*) FROM core.rfm WHERE business_date = ? AND scope = 'wh-mine' GROUP BY segment",
                rs -> {
                    expected.put(rs.getString(1), rs.getLong(2));
                }, night);
        assertThat(sizesOf(JSON.readTree(segments.body()), night)).isEqualTo(expected).isNotEmpty();

        HttpResponse<String> days = send(base + "/partner-days?from=" + night.minusYears(1) + "&to=" + night, token);
        assertThat(days.statusCode()).as(days.body()).isEqualTo(200);
        long sales = 0;
        for (JsonNode d : JSON.readTree(days.body())) {
            assertThat(d.path("partner").asString()).isEqualTo(me);
            sales += d.path("sales").asLong();
        }
        assertThat(sales).isEqualTo(8);

        for (String path : List.of(base + "/segments?scope=wh-theirs", base + "/segment-movements?scope=wh-theirs&night=" + night)) {
            HttpResponse<String> answer = send(path, token);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.body()).as(path).doesNotContain("wh-theirs");
        }
        assertThat(send("/api/v1/partners/" + other + "/analytics/segments?scope=wh-theirs", token).statusCode())
                .as("another partner's path").isEqualTo(403);
        assertThat(send(base + "/churn-risk", token).statusCode()).as("the circle's figures").isEqualTo(404);
        assertThat(send("/api/v1/ops/analytics/segments?scope=wh-mine", token).statusCode()).as("the ops' view").isEqualTo(403);
    }

    @Test
    void aScopeThatIsNoSlugIsABadRequest() throws Exception {
        HttpResponse<String> answer = send("/api/v1/ops/analytics/segments?scope=x'%20OR%201=1");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
    }

    @Test
    void aDayTheWarehouseCannotHoldIsABadRequest() throws Exception {
        for (String path : List.of("/api/v1/ops/analytics/partner-days?from=%2B999999999-12-31",
                "/api/v1/ops/analytics/churn-risk?to=1969-12-31", "/api/v1/ops/analytics/segment-movements?night=2106-01-01")) {
            HttpResponse<String> answer = send(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(400);
            assertThat(answer.body()).as(path).contains("1970-01-01").contains("2105-12-31");
        }
    }

    private void night(LocalDate date) {
        assertThat(runs.runAndWait(date, Duration.ofMinutes(5)).getStatus()).isEqualTo(BatchStatus.COMPLETED);
    }

    private Map<String, Long> circleSegmentSizes(LocalDate date) {
        Map<String, Long> sizes = new TreeMap<>();
        jdbc.query("SELECT segment, count(*) FROM core.rfm WHERE business_date = ? AND scope = 'circle' GROUP BY segment",
                rs -> {
                    sizes.put(rs.getString(1), rs.getLong(2));
                }, date);
        return sizes;
    }

    private Map<Long, String> circleSegments(LocalDate date) {
        Map<Long, String> segments = new HashMap<>();
        jdbc.query("SELECT customer_id, segment FROM core.rfm WHERE business_date = ? AND scope = 'circle'",
                rs -> {
                    segments.put(rs.getLong(1), rs.getString(2));
                }, date);
        return segments;
    }

    private static Map<String, Long> movementsBetween(Map<Long, String> before, Map<Long, String> after) {
        Set<Long> everyone = new HashSet<>(before.keySet());
        everyone.addAll(after.keySet());
        Map<String, Long> moved = new TreeMap<>();
        for (long customer : everyone) {
            moved.merge(before.getOrDefault(customer, "-") + " > " + after.getOrDefault(customer, "-"), 1L, Long::sum);
        }
        return moved;
    }

    private static Map<String, Long> sizesOf(JsonNode answer, LocalDate date) {
        Map<String, Long> sizes = new TreeMap<>();
        for (JsonNode row : answer) {
            if (row.path("businessDate").asString().equals(date.toString())) {
                sizes.put(row.path("segment").asString(), row.path("customers").asLong());
            }
        }
        return sizes;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> answer = send(path);
        assertThat(answer.statusCode()).as("%s: %s", path, answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private HttpResponse<String> send(String path) throws Exception {
        return send(path, TestTokens.ops());
    }

    private HttpResponse<String> send(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", TestTokens.bearer(token)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
