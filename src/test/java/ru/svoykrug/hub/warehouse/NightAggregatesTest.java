package ru.svoykrug.hub.warehouse;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.nightly.StagingFixture;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analytics read aggregates the export derives (partner days, cohort changes, segment counts and
 * movements); they answer exactly what every exported event and RFM row says (read here by simpler
 * queries and added up in Java): after nights with new, refunded, voided and late-arriving older sales,
 * after a night exported again, after an older night derived again once a later one exists, after a night
 * exported for an earlier date than the last (the later night's movements are then from it), and after a
 * warehouse whose nights had no aggregates yet (as before V2, V3) has them derived.
 */
class NightAggregatesTest extends HubIntegrationTest {

    private static final LocalDate FIRST = LocalDate.of(2025, 3, 30);
    private static final LocalDate SECOND = FIRST.plusDays(1);

    @Autowired
    ConnectionService connections;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    NightlyRuns runs;
    @Autowired
    Warehouse warehouse;
    @Autowired
    AnalyticsQueries analytics;
    @Autowired
    NightAggregates aggregates;
    @Autowired
    SegmentAggregates segments;
    @Autowired
    RiskAggregates risks;

    @Test
    void partnerDaysAndCohortsFromTheAggregatesAreWhatEveryEventSays() {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "agg-shop");
        StagingFixture cafe = StagingFixture.partner(connections, jdbc, "agg-cafe");
        List<String> sales = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            for (int k = 0; k <= c % 3; k++) {
                sales.add(shop.sale("s-" + c, FIRST.minusDays(3 + 35L * k + 11L * c), 150 + 10L * c));
            }
            cafe.sale("c-" + c, FIRST.minusDays(5 + 20L * c), 90 + c);
        }
        shop.refund(sales.get(1), FIRST.minusDays(2), 30);
        night(FIRST);
        assertSameAsEveryEvent();

        shop.sale("s-1", SECOND, 400);
        shop.sale("s-2", FIRST.minusDays(400), 250);   // an older sale arriving late: s-2's cohort moves 13 months back
        cafe.sale("c-new", SECOND, 120);               // a new customer: a new cohort
        shop.refund(sales.get(3), SECOND, 20);
        shop.setStatus(sales.get(4), "VOID");
        night(SECOND);
        assertSameAsEveryEvent();
        assertThat(analytics.cohorts()).as("the late sale made a cohort of its month")
                .anySatisfy(cohort -> assertThat(cohort.cohort()).isEqualTo(YearMonth.from(FIRST.minusDays(400))));

        night(SECOND);
        assertSameAsEveryEvent();

        aggregates.derive(FIRST);
        assertSameAsEveryEvent();

        // a warehouse of before V2: nights exported, none derived; the next start derives them
        for (String table : List.of("partner_day_totals", "customer_sale_months", "cohort_changes")) {
            for (LocalDate night : List.of(FIRST, SECOND)) {
                warehouse.execute("ALTER TABLE " + table + " DROP PARTITION " + PartitionLoad.partition(night));
            }
        }
        warehouse.execute("ALTER TABLE derived_nights DROP PARTITION 202503");
        assertThat(analytics.partnerDays(FIRST.minusYears(3), SECOND, null, Set.of())).isNotEqualTo(rawPartnerDays("", SECOND));
        aggregates.deriveMissing();
        assertSameAsEveryEvent();
    }

    @Test
    void segmentSizesAndMovementsFromTheAggregatesAreWhatEveryRfmRowSays() {
        LocalDate early = LocalDate.of(2025, 8, 10);
        LocalDate middle = early.plusDays(1);
        LocalDate late = early.plusDays(2);
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "seg-shop");
        StagingFixture cafe = StagingFixture.partner(connections, jdbc, "seg-cafe");
        for (int c = 0; c < 12; c++) {
            for (int k = 0; k <= c % 4; k++) {
                shop.sale("g-" + c, early.minusDays(2 + 40L * k + 9L * c), 100 + 25L * c);
            }
            cafe.sale("h-" + c, early.minusDays(3 + 30L * c), 80 + c);
        }
        night(early);
        assertSegmentsSameAsEveryRfmRow(early, early);
        assertThat(analytics.movements("circle", early).map(AnalyticsQueries.Movements::previousNight).orElse(early.minusDays(1)))
                .isBefore(early);

        for (int c = 0; c < 6; c++) {
            shop.sale("g-" + c, late.minusDays(1), 900);
        }
        cafe.sale("h-new", late.minusDays(1), 300);    // a new customer: no segment the night before
        night(late);
        assertSegmentsSameAsEveryRfmRow(early, late);
        assertThat(analytics.movements("circle", late).orElseThrow().previousNight()).isEqualTo(early);

        // a night exported for an earlier date after a later one: it is now the later night's previous night
        night(middle);
        assertSegmentsSameAsEveryRfmRow(early, late);
        assertThat(analytics.movements("circle", late).orElseThrow().previousNight()).isEqualTo(middle);
        assertThat(analytics.movements("circle", middle).orElseThrow().previousNight()).isEqualTo(early);
        assertThat(rawMovements("circle", middle, late)).as("the nights differ, or this proves nothing")
                .isNotEqualTo(rawMovements("circle", early, late));

        night(late);
        assertSegmentsSameAsEveryRfmRow(early, late);

        // a warehouse of before V3: nights exported, no segment aggregates; the next start derives them
        for (LocalDate night : List.of(early, middle, late)) {
            warehouse.execute("ALTER TABLE segment_counts DROP PARTITION " + PartitionLoad.partition(night));
            warehouse.execute("ALTER TABLE segment_moves DROP PARTITION " + PartitionLoad.partition(night));
        }
        warehouse.execute("ALTER TABLE segment_nights DROP PARTITION 202508");
        assertThat(analytics.segmentSizes("circle", early, late)).isEmpty();
        assertThat(moved(analytics.movements("circle", late).orElseThrow())).as("from the RFM rows meanwhile")
                .isEqualTo(rawMovements("circle", middle, late));
        segments.deriveMissing();
        assertSegmentsSameAsEveryRfmRow(early, late);

        // a warehouse of before V4: no churn-risk deciles; the next start derives them
        assertRiskSameAsEveryPrediction(early, late);
        for (LocalDate night : List.of(early, middle, late)) {
            warehouse.execute("ALTER TABLE risk_deciles DROP PARTITION " + PartitionLoad.partition(night));
        }
        warehouse.execute("ALTER TABLE risk_nights DROP PARTITION 202508");
        assertThat(analytics.churnRisk(early, late)).isEmpty();
        risks.deriveMissing();
        assertRiskSameAsEveryPrediction(early, late);
    }

    /** Churn-risk deciles of every night in [from, to] against churn_predictions; each night once, however often exported. */
    private void assertRiskSameAsEveryPrediction(LocalDate from, LocalDate to) {
        assertThat(analytics.churnRisk(from, to)).isEqualTo(warehouse.query("""
                SELECT business_date, toUInt8(least(floor(churn_risk * 10), 9)) AS tenth, count() AS customers
                  FROM churn_predictions
                 WHERE scope = 'circle' AND business_date BETWEEN toDate('%s') AND toDate('%s')
                 GROUP BY business_date, tenth ORDER BY business_date, tenth""".formatted(from, to)).stream()
                .map(r -> new AnalyticsQueries.RiskDecile(LocalDate.parse(r.path("business_date").asString()),
                        r.path("tenth").asInt(), r.path("customers").asLong())).toList()).isNotEmpty();
        assertThat(analytics.churnRisk(from, to).stream().map(AnalyticsQueries.RiskDecile::businessDate).distinct().count())
                .as("every night of the range").isEqualTo(from.datesUntil(to.plusDays(1)).count());
    }

    /** Sizes and movements of every night in [from, to], the circle's and a partner's, against rfm_segments. */
    private void assertSegmentsSameAsEveryRfmRow(LocalDate from, LocalDate to) {
        for (String scope : List.of("circle", "seg-shop")) {
            assertThat(analytics.segmentSizes(scope, from, to)).as("sizes in %s", scope).isEqualTo(warehouse.query("""
                    SELECT business_date, segment, count() AS customers FROM rfm_segments
                     WHERE scope = '%s' AND business_date BETWEEN toDate('%s') AND toDate('%s')
                     GROUP BY business_date, segment ORDER BY business_date, segment""".formatted(scope, from, to)).stream()
                    .map(r -> new AnalyticsQueries.SegmentSize(LocalDate.parse(r.path("business_date").asString()),
                            r.path("segment").asString(), r.path("customers").asLong())).toList()).isNotEmpty();
            for (LocalDate night : dates("SELECT DISTINCT business_date FROM nightly_runs WHERE business_date BETWEEN toDate('"
                    + from.plusDays(1) + "') AND toDate('" + to + "')")) {
                LocalDate previous = dates("SELECT DISTINCT business_date FROM nightly_runs WHERE business_date < toDate('" + night
                        + "')").last();
                AnalyticsQueries.Movements movements = analytics.movements(scope, night).orElseThrow();
                assertThat(movements.previousNight()).isEqualTo(previous);
                assertThat(moved(movements)).as("movements in %s to %s", scope, night)
                        .isEqualTo(rawMovements(scope, previous, night)).isNotEmpty();
            }
        }
    }

    private static Map<String, Long> moved(AnalyticsQueries.Movements movements) {
        Map<String, Long> moved = new TreeMap<>();
        movements.movements().forEach(m -> moved.put(m.fromSegment() + ">" + m.toSegment(), m.customers()));
        return moved;
    }

    /** Movements from each customer's RFM rows of the two nights, paired here. */
    private Map<String, Long> rawMovements(String scope, LocalDate previous, LocalDate night) {
        Map<Long, String[]> customers = new HashMap<>();
        for (JsonNode r : warehouse.query("SELECT business_date, customer_id, segment FROM rfm_segments WHERE scope = '" + scope
                + "' AND business_date IN (toDate('" + previous + "'), toDate('" + night + "'))")) {
            String[] sides = customers.computeIfAbsent(r.path("customer_id").asLong(), c -> new String[2]);
            sides[r.path("business_date").asString().equals(night.toString()) ? 1 : 0] = r.path("segment").asString();
        }
        Map<String, Long> moved = new TreeMap<>();
        customers.values().forEach(sides -> moved.merge(sides[0] + ">" + sides[1], 1L, Long::sum));
        return moved;
    }

    private TreeSet<LocalDate> dates(String select) {
        TreeSet<LocalDate> dates = new TreeSet<>();
        warehouse.query(select).forEach(r -> dates.add(LocalDate.parse(r.path("business_date").asString())));
        return dates;
    }

    private void assertSameAsEveryEvent() {
        LocalDate from = FIRST.minusYears(3);
        assertThat(analytics.partnerDays(from, SECOND, null, Set.of())).isEqualTo(rawPartnerDays("", SECOND)).isNotEmpty();
        String shopPartner = jdbc.queryForObject("SELECT partner_id FROM ops.partner_connection WHERE id = 'agg-shop'", String.class);
        assertThat(analytics.partnerDays(from, SECOND, shopPartner, Set.of()))
                .isEqualTo(rawPartnerDays(" AND partner = '" + shopPartner + "'", SECOND)).isNotEmpty();
        assertThat(analytics.partnerDays(from, SECOND, null, Set.of("agg-cafe")))
                .isEqualTo(rawPartnerDays(" AND connection_id NOT IN ('agg-cafe')", SECOND));
        assertThat(flat(analytics.cohorts())).isEqualTo(rawCohorts()).isNotEmpty();
    }

    /** Partner days from every event: the night's sums per day, partner and event type, folded here. */
    private List<AnalyticsQueries.PartnerDay> rawPartnerDays(String filter, LocalDate to) {
        Map<String, long[]> days = new TreeMap<>();
        for (JsonNode r : warehouse.query("""
                SELECT event_day, partner, event_type, count() AS n, sum(amount_kopecks) AS amount,
                       sum(points_pending) AS pending, sum(points_active) AS active
                  FROM analytics_events WHERE event_day BETWEEN toDate('%s') AND toDate('%s')%s
                 GROUP BY event_day, partner, event_type""".formatted(FIRST.minusYears(3), to, filter))) {
            long[] day = days.computeIfAbsent(r.path("event_day").asString() + "|" + r.path("partner").asString(), k -> new long[10]);
            long amount = r.path("amount").asLong();
            long points = r.path("pending").asLong() + r.path("active").asLong();
            day[4] += amount;
            switch (r.path("event_type").asString()) {
                case "sale" -> {
                    day[0] += r.path("n").asLong();
                    day[1] += amount;
                }
                case "refund" -> day[2] += amount;
                case "void" -> day[3] += amount;
                case "points_earned" -> day[5] += points;
                case "points_activated" -> day[6] += r.path("active").asLong();
                case "points_expired" -> day[7] -= points;
                case "points_reversed" -> day[8] -= points;
                default -> day[9] -= points;
            }
        }
        List<AnalyticsQueries.PartnerDay> answer = new ArrayList<>();
        days.forEach((key, d) -> answer.add(new AnalyticsQueries.PartnerDay(LocalDate.parse(key.substring(0, 10)), key.substring(11),
                d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9])));
        return answer;
    }

    /** Cohorts from every sale event: each customer's months, the least of them its cohort. */
    private List<String> rawCohorts() {
        Map<Long, TreeSet<String>> months = new HashMap<>();
        for (JsonNode r : warehouse.query("SELECT DISTINCT customer_id, toStartOfMonth(event_day) AS month FROM analytics_events "
                + "WHERE event_type = 'sale'")) {
            months.computeIfAbsent(r.path("customer_id").asLong(), c -> new TreeSet<>()).add(r.path("month").asString().substring(0, 7));
        }
        Map<String, Long> cells = new TreeMap<>();
        months.values().forEach(active -> active.forEach(month -> cells.merge(active.first() + " " + month, 1L, Long::sum)));
        List<String> rows = new ArrayList<>();
        cells.forEach((cell, customers) -> rows.add(cell + " " + customers));
        return rows;
    }

    private static List<String> flat(List<AnalyticsQueries.Cohort> cohorts) {
        List<String> rows = new ArrayList<>();
        cohorts.forEach(cohort -> cohort.months().forEach(m -> rows.add(cohort.cohort() + " " + m.month() + " " + m.customers())));
        return rows;
    }

    private void night(LocalDate date) {
        assertThat(runs.runAndWait(date, Duration.ofMinutes(5)).getStatus()).isEqualTo(BatchStatus.COMPLETED);
    }
}
