package ru.svoykrug.hub.nightly;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A night reads only what changed in staging since the last one, and keeps each customer's activity
 * night by night: neither may lose a change, and what it keeps must equal what all purchases say.
 */
class IncrementalNightTest extends NightScenario {

    private static final LocalDate NIGHT = LocalDate.of(2026, 9, 10);

    @Autowired
    DataSource dataSource;

    @Test
    void aSaleWrittenByATransactionStillOpenWhenTheNightBeganIsReadByTheNextNight() throws Exception {
        StagingFixture shop = partner("inc-open");
        shop.customer("ivan", "+79167770001");
        shop.sale("ivan", NIGHT.minusDays(3), 100);
        night(NIGHT);

        try (Connection writer = dataSource.getConnection()) {
            writer.setAutoCommit(false);
            try (PreparedStatement insert = writer.prepareStatement("""
                    INSERT INTO staging.sale (connection_id, source_id, kind, status, customer_source_id, occurred_at, zone,
                                              amount_kopecks, source_changed_at)
                    VALUES ('inc-open', 'slow-sale', 'SALE', 'COMPLETED', 'ivan', ?, 'Europe/Moscow', 25000, now())""")) {
                insert.setTimestamp(1, Timestamp.from(NIGHT.atTime(12, 0).atZone(ZoneId.of("Europe/Moscow")).toInstant()));
                insert.executeUpdate();
            }
            night(NIGHT.plusDays(1)); // began while the sale's transaction was still open: cannot see it
            writer.commit();
        }
        assertThat(purchases("inc-open")).as("not yet read").doesNotContain("slow-sale");

        night(NIGHT.plusDays(2));
        assertThat(purchases("inc-open")).contains("slow-sale");
    }

    @Test
    void theActivityKeptNightByNightEqualsTheActivityOfAllPurchases() {
        StagingFixture salon = partner("inc-salon");
        StagingFixture cafe = partner("inc-cafe");
        salon.customer("olga", "+79167770101");
        cafe.customer("olga-c", "+79167770101");
        salon.customer("nina", "+79167770102");
        cafe.customer("anon", null);
        String leaving = salon.sale("olga", NIGHT.minusDays(364), 900); // leaves the trailing 365 days tomorrow
        salon.sale("olga", NIGHT.minusDays(40), 1200);
        cafe.sale("olga-c", NIGHT.minusDays(40), 300); // same day at another partner: one circle day
        String refunded = salon.sale("nina", NIGHT.minusDays(10), 5000);
        String voided = salon.sale("nina", NIGHT.minusDays(5), 700);
        cafe.sale("anon", NIGHT.minusDays(20), 450);
        cafe.sale("olga-c", NIGHT.plusDays(3), 800); // staged ahead of its day
        night(NIGHT);
        assertActivityIsThatOfAllPurchases(NIGHT);

        salon.refund(refunded, NIGHT.plusDays(1), 2000);
        salon.setStatus(voided, "VOID");
        salon.sale("nina", NIGHT.plusDays(1), 650);
        night(NIGHT.plusDays(1));
        assertThat(jdbc.queryForMap("SELECT refunded_kopecks, completed FROM core.purchase WHERE connection_id = 'inc-salon' "
                + "AND source_id = ?", refunded)).containsEntry("refunded_kopecks", 200_000L).containsEntry("completed", true);
        assertThat(jdbc.queryForObject("SELECT completed FROM core.purchase WHERE connection_id = 'inc-salon' AND source_id = ?",
                Boolean.class, voided)).isFalse();
        assertThat(jdbc.queryForObject("SELECT days_365 FROM core.customer_activity WHERE scope = 'inc-salon' AND customer_id = ?",
                Integer.class, salon.customerId("olga"))).as("the sale of %s left the window", leaving).isEqualTo(1);
        assertActivityIsThatOfAllPurchases(NIGHT.plusDays(1));

        long anon = cafe.customerId("anon");
        cafe.customer("anon", "+79167770102"); // the local customer turns out to be nina
        night(NIGHT.plusDays(2));
        assertThat(cafe.customerId("anon")).isEqualTo(salon.customerId("nina")).isNotEqualTo(anon);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM core.customer_activity WHERE customer_id = ?", Integer.class, anon))
                .as("the merged local customer's purchases count for nina now").isZero();
        assertActivityIsThatOfAllPurchases(NIGHT.plusDays(2));

        night(NIGHT.plusDays(4)); // a night skipped; the sale staged ahead is now in reach
        assertActivityIsThatOfAllPurchases(NIGHT.plusDays(4));
        night(NIGHT.plusDays(4)); // the same night again changes nothing
        assertActivityIsThatOfAllPurchases(NIGHT.plusDays(4));
    }

    @Test
    void nightsOneAfterAnotherEndWithTheCoreOfOneNightOverEverything() {
        LocalDate first = LocalDate.of(2026, 10, 20);
        StagingFixture salon = partner("inc-rebuild-salon");
        StagingFixture cafe = partner("inc-rebuild-cafe");
        Map<String, String> sales = new java.util.HashMap<>();
        for (int k = 0; k < 12; k++) {
            salon.customer("s" + k, k % 4 == 3 ? null : "+7916778" + String.format("%04d", k));
            cafe.customer("c" + k, k % 3 == 2 ? null : "+7916778" + String.format("%04d", k));
            for (int d = 0; d < 1 + k % 4; d++) {
                sales.put("s" + k + "/" + d, salon.sale("s" + k, first.minusDays(5 + 97L * d + k), 4000 + 1500L * k));
            }
            cafe.sale("c" + k, first.minusDays(2 + k), 700);
        }
        night(first);

        String late = cafe.sale("c1", first.plusDays(6), 900); // staged ahead of its day
        salon.refund(sales.get("s0/0"), first.plusDays(1), 500); // points still pending
        salon.refund(sales.get("s3/1"), first.plusDays(1), 1000); // points active
        salon.sale("s5", first.plusDays(1), 60_000); // a Silver customer from here on
        night(first.plusDays(1));

        cafe.customer("c2", "+79167780002"); // the local customer turns out to be s2
        // s7's latest sale: voiding an earlier one would not re-tier the later lots already earned on
        salon.setStatus(sales.get("s7/0"), "VOID");
        salon.sale("s9", first.plusDays(3), 1200);
        night(first.plusDays(3));
        night(first.plusDays(8)); // the sale staged ahead is in reach, some points became active
        assertThat(purchases("inc-rebuild-cafe")).contains(late);

        CoreSnapshot mine = new CoreSnapshot(jdbc, "inc-rebuild-salon", "inc-rebuild-cafe");
        Map<String, List<Map<String, Object>>> nightByNight = mine.take();
        CoreSnapshot.emptyCore(jdbc);
        night(first.plusDays(8));
        CoreSnapshot.assertSameCore(nightByNight, mine.take(), "nights one after another");
    }

    private List<String> purchases(String connection) {
        return jdbc.queryForList("SELECT source_id FROM core.purchase WHERE connection_id = ?", String.class, connection);
    }

    /** The activity of this test's customers, kept by the nights, against the same figures computed from scratch. */
    private void assertActivityIsThatOfAllPurchases(LocalDate date) {
        String customers = "(SELECT customer_id FROM core.customer_link WHERE connection_id IN ('inc-salon', 'inc-cafe'))";
        List<Map<String, Object>> kept = jdbc.queryForList("""
                SELECT scope, customer_id, first_day, last_day, purchase_days, spend_kopecks, first_day_kopecks, days_365,
                       spend_365_kopecks
                  FROM core.customer_activity WHERE customer_id IN %s ORDER BY scope, customer_id""".formatted(customers));
        List<Map<String, Object>> fromScratch = jdbc.queryForList("""
                WITH bought AS (
                    SELECT connection_id, customer_id, purchase_day, amount_kopecks - refunded_kopecks AS net
                      FROM core.purchase
                     WHERE completed AND purchase_day <= ? AND customer_id IN %s
                ), scoped AS (
                    SELECT 'circle' AS scope, customer_id, purchase_day, net FROM bought
                    UNION ALL
                    SELECT connection_id, customer_id, purchase_day, net FROM bought
                ), measured AS (
                    SELECT scope, customer_id, min(purchase_day) AS first_day, max(purchase_day) AS last_day,
                           count(DISTINCT purchase_day)::int AS purchase_days, sum(net)::bigint AS spend_kopecks,
                           count(DISTINCT purchase_day) FILTER (WHERE purchase_day > CAST(? AS date) - 365)::int AS days_365,
                           coalesce(sum(net) FILTER (WHERE purchase_day > CAST(? AS date) - 365), 0)::bigint AS spend_365_kopecks
                      FROM scoped GROUP BY scope, customer_id
                )
                SELECT m.scope, m.customer_id, m.first_day, m.last_day, m.purchase_days, m.spend_kopecks,
                       (SELECT sum(s.net)::bigint FROM scoped s
                         WHERE s.scope = m.scope AND s.customer_id = m.customer_id AND s.purchase_day = m.first_day) AS first_day_kopecks,
                       m.days_365, m.spend_365_kopecks
                  FROM measured m ORDER BY m.scope, m.customer_id""".formatted(customers), date, date, date);
        assertThat(fromScratch).as("there is something to compare").isNotEmpty();
        assertThat(kept).as("activity on %s", date).isEqualTo(fromScratch);
    }
}
