package ru.svoykrug.hub.nightly;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Step 3: RFM scores by rank quintile, equal values sharing a score, and the segment grid. */
class RfmNightTest extends NightScenario {

    private static final LocalDate NIGHT = LocalDate.of(2025, 12, 31);

    @Test
    void scoresAreQuintilesOfTheRankWithTiesSharingAScore() {
        StagingFixture shop = partner("rfm-quintiles");
        // ten customers: c0 bought last 90 days ago ... c9 bought yesterday; c_k bought on k+1 distinct days
        for (int k = 0; k < 10; k++) {
            for (int d = 0; d <= k; d++) {
                shop.sale("c" + k, NIGHT.minusDays(1 + 10L * (9 - k) + d * 30L), 100 + k);
            }
        }
        // two more who are exact twins: same days, same amounts
        shop.sale("twin-a", NIGHT.minusDays(40), 300);
        shop.sale("twin-b", NIGHT.minusDays(40), 300);

        night(NIGHT);

        Map<String, Map<String, Object>> rows = scores("rfm-quintiles");
        assertThat(rows.get("twin-a")).isEqualTo(rows.get("twin-b"));
        assertThat(rows.get("c9")).containsEntry("r", 5).containsEntry("f", 5);
        assertThat(rows.get("c0")).containsEntry("r", 1).containsEntry("f", 1); // one day, as the twins: the lowest rank
        assertThat(rows.values()).extracting(r -> r.get("r")).contains(1, 2, 3, 4, 5);
        // ranks, not values: the most lapsed twelfth always scores 1, whoever it is
        assertThat(rows.get("c0").get("recency_days")).isEqualTo(91 + 0);
    }

    @Test
    void theSegmentOfEveryCustomerFollowsTheGrid() {
        StagingFixture shop = partner("rfm-grid");
        for (int k = 0; k < 25; k++) {
            int days = 1 + (k * 7) % 5;
            for (int d = 0; d < days; d++) {
                shop.sale("g" + k, NIGHT.minusDays(1 + (k * 13L) % 300 + d * 20L), 100);
            }
        }
        night(NIGHT);

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT r, f, segment FROM core.rfm WHERE business_date = ? AND scope IN "
                + "('rfm-grid', 'circle')", NIGHT);
        assertThat(rows).hasSizeGreaterThan(25);
        for (Map<String, Object> row : rows) {
            assertThat(row.get("segment")).as("R%s F%s", row.get("r"), row.get("f"))
                    .isEqualTo(segment(((Number) row.get("r")).intValue(), ((Number) row.get("f")).intValue()));
        }
    }

    /** The grid of the issue, written out independently of the SQL. */
    private static String segment(int r, int f) {
        if (r == 5 && f >= 4) return "Champions";
        if ((r == 3 || r == 4) && f >= 4) return "Loyal";
        if (r >= 4 && (f == 2 || f == 3)) return "Potential Loyalist";
        if (r == 5 && f == 1) return "New";
        if (r == 4 && f == 1) return "Promising";
        if (r == 3 && f == 3) return "Need Attention";
        if (r == 3) return "About to Sleep";
        if (f == 5) return "Can't Lose Them";
        if (f >= 3) return "At Risk";
        return "Hibernating";
    }

    private Map<String, Map<String, Object>> scores(String scope) {
        Map<String, Map<String, Object>> byRef = new java.util.HashMap<>();
        jdbc.queryForList("""
                SELECT l.customer_key, r.recency_days, r.frequency, r.monetary_kopecks, r.r, r.f, r.m, r.segment
                  FROM core.rfm r JOIN core.customer_link l ON l.customer_id = r.customer_id AND l.connection_id = r.scope
                 WHERE r.business_date = ? AND r.scope = ?""", NIGHT, scope)
                .forEach(row -> {
                    Map<String, Object> copy = new java.util.HashMap<>(row);
                    byRef.put((String) copy.remove("customer_key"), copy);
                });
        return byRef;
    }
}
