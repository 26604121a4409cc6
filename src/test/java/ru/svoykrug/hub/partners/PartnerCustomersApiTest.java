package ru.svoykrug.hub.partners;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.nightly.StagingFixture;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static ru.svoykrug.hub.partners.PartnerApiClient.json;

/** A partner's customers: its own scope only, ids only, filtered and paged; another partner is refused. */
class PartnerCustomersApiTest extends HubIntegrationTest {

    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Europe/Moscow"));

    @LocalServerPort
    int port;
    @Autowired
    ConnectionService connections;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    NightlyRuns runs;

    @Test
    void aPartnerSeesItsOwnCustomersSegmentsChurnRiskLastVisitAndBalanceAndNothingElse() {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "pcu-shop");
        StagingFixture cafe = StagingFixture.partner(connections, jdbc, "pcu-cafe");
        // twelve regulars of the shop (so the churn model can be fitted), one long gone, one shared with the cafe
        for (int i = 0; i < 12; i++) {
            shop.customer("r" + i, "+7926555" + String.format("%04d", i));
            for (int k = 0; k < 4 + i % 3; k++) {
                shop.sale("r" + i, TODAY.minusDays(200 - 40L * k - i), 1_000 + i);
            }
        }
        shop.customer("gone", "+79265559990");
        shop.sale("gone", TODAY.minusDays(700), 500);
        shop.sale("gone", TODAY.minusDays(690), 500);
        shop.customer("both", "+79265559991");
        cafe.customer("both", "+79265559991");
        shop.sale("both", TODAY.minusDays(30), 2_000);
        cafe.sale("both", TODAY.minusDays(2), 9_000);
        cafe.customer("cafe-only", "+79265559992");
        cafe.sale("cafe-only", TODAY.minusDays(5), 3_000);
        assertThat(runs.runAndWait(TODAY.minusDays(1), Duration.ofMinutes(5)).getStatus().name()).isEqualTo("COMPLETED");

        PartnerApiClient partner = new PartnerApiClient(port, TestTokens.partner("partner-pcu-shop"));
        String path = "/api/v1/partners/partner-pcu-shop/customers";
        Map<Long, JsonNode> seen = new HashMap<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> page = partner.get(path + "?limit=5" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).doesNotContain("+7926").doesNotContain("phone").doesNotContain("name");
            JsonNode body = json(page);
            body.path("customers").forEach(c -> seen.put(c.path("customerId").asLong(), c));
            cursor = body.path("nextCursor").isNull() ? null : body.path("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).hasSize(14);
        assertThat(pages).isGreaterThanOrEqualTo(3);
        // every customer the partner was shown is an audited read, naming the partner and the customer
        List<Map<String, Object>> audited = audited("partner:partner-pcu-shop");
        assertThat(audited).extracting(r -> ((Number) r.get("customer_id")).longValue())
                .containsExactlyInAnyOrderElementsOf(seen.keySet());
        assertThat(audited).allSatisfy(r -> {
            assertThat(r.get("actor_role")).isEqualTo("PARTNER");
            assertThat(r.get("action")).isEqualTo("READ");
            assertThat(r.get("channel")).isEqualTo("GET " + path);
            assertThat(r.get("fields")).isEqualTo("churn_risk,last_visit,points,segment");
        });

        JsonNode both = seen.get(shop.customerId("both"));
        assertThat(both.path("lastVisitOn").asString()).as("the last visit at this partner, not the cafe")
                .isEqualTo(TODAY.minusDays(30).toString());
        assertThat(both.path("pendingPoints").asLong() + both.path("activePoints").asLong()).as("the circle's points").isPositive();
        assertThat(seen).doesNotContainKey(cafe.customerId("cafe-only"));
        assertThat(both.path("segment").asString()).isNotBlank();

        double gone = seen.get(shop.customerId("gone")).path("churnRisk").asDouble();
        double regular = seen.get(shop.customerId("r11")).path("churnRisk").asDouble();
        assertThat(gone).isBetween(0.0, 1.0).isGreaterThan(regular);

        List<Long> risky = new ArrayList<>();
        json(partner.get(path + "?minChurnRisk=" + gone)).path("customers").forEach(c -> risky.add(c.path("customerId").asLong()));
        assertThat(risky).contains(shop.customerId("gone")).doesNotContain(shop.customerId("r11"));

        String segment = both.path("segment").asString();
        json(partner.get(path + "?segment=" + segment.replace(" ", "%20"))).path("customers")
                .forEach(c -> assertThat(c.path("segment").asString()).isEqualTo(segment));

        // a customer who withdrew consent after the night: still the partner's customer, no longer segmented or scored
        long withdrawn = shop.customerId("r11");
        jdbc.update("INSERT INTO privacy.consent (customer_id, given, since, by_role, by_subject) VALUES (?, false, now(), 'CUSTOMER', 'r11')",
                withdrawn);
        JsonNode r11 = null;
        for (JsonNode c : json(partner.get(path + "?limit=100")).path("customers")) {
            if (c.path("customerId").asLong() == withdrawn) r11 = c;
        }
        assertThat(r11).as("listed: the visit and the points are the partner's own business").isNotNull();
        assertThat(r11.path("segment").isNull()).isTrue();
        assertThat(r11.path("churnRisk").isNull()).isTrue();
        assertThat(r11.path("withheld").asString()).startsWith("no consent");
        assertThat(seen.get(withdrawn).path("withheld").isNull()).as("before withdrawing").isTrue();
        String r11Segment = seen.get(withdrawn).path("segment").asString();
        json(partner.get(path + "?segment=" + r11Segment.replace(" ", "%20"))).path("customers")
                .forEach(c -> assertThat(c.path("customerId").asLong()).isNotEqualTo(withdrawn));
        json(partner.get(path + "?minChurnRisk=0")).path("customers")
                .forEach(c -> assertThat(c.path("customerId").asLong()).isNotEqualTo(withdrawn));

        int auditedBefore = audited("partner:partner-pcu-shop").size();
        PartnerApiClient cafeToken = new PartnerApiClient(port, TestTokens.partner("partner-pcu-cafe"));
        assertThat(cafeToken.get(path).statusCode()).isEqualTo(403);
        for (String bad : List.of("?minChurnRisk=2", "?minChurnRisk=x", "?cursor=bm9wZQ", "?limit=0", "?segment=%3Bdrop")) {
            HttpResponse<String> refused = partner.get(path + bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
        }
        assertThat(audited("partner:partner-pcu-cafe")).as("a refused read shows nothing and audits nothing").isEmpty();
        assertThat(audited("partner:partner-pcu-shop")).hasSize(auditedBefore);
    }

    private List<Map<String, Object>> audited(String actor) {
        return jdbc.queryForList("""
                SELECT customer_id, actor_role, action, channel,
                       array_to_string(ARRAY(SELECT f FROM unnest(fields) f ORDER BY f), ',') AS fields
                  FROM audit.entry WHERE actor_subject = ? AND channel LIKE 'GET /api/v1/partners/%/customers'""", actor);
    }
}
