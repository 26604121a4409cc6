package ru.svoykrug.hub.warehouse;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ops analytics, read from the warehouse. ClickHouse 18.16 takes no query parameters, so the few
 * values a query carries are written into it after a check: dates as ISO dates, scopes and partners as
 * slugs. The SQL is what both 18.16 and 25.8 accept: no window functions, joins by USING, sub-selects.
 */
@Component
public class AnalyticsQueries {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    private final Warehouse warehouse;

    AnalyticsQueries(Warehouse warehouse) {
        this.warehouse = warehouse;
    }

    public boolean configured() {
        return warehouse.configured();
    }

    /** The nights exported, newest first (at most {@code limit}). */
    public List<LocalDate> nights(int limit) {
        return warehouse.query("SELECT DISTINCT business_date FROM nightly_runs ORDER BY business_date DESC LIMIT " + limit)
                .stream().map(row -> LocalDate.parse(row.path("business_date").asString())).toList();
    }

    /**
     * Customers per RFM segment of each night in [from, to], in a scope ('circle' or a connection): the
     * nights' {@code segment_counts} ({@link SegmentAggregates}), a few rows per night and scope.
     */
    public List<SegmentSize> segmentSizes(String scope, LocalDate from, LocalDate to) {
        return warehouse.query("""
                SELECT business_date, segment, sum(customer_count) AS customers FROM segment_counts
                 WHERE scope = '%s' AND business_date BETWEEN toDate('%s') AND toDate('%s')
                 GROUP BY business_date, segment ORDER BY business_date, segment""".formatted(slug(scope), from, to))
                .stream().map(r -> new SegmentSize(LocalDate.parse(r.path("business_date").asString()), r.path("segment").asString(),
                        r.path("customers").asLong())).toList();
    }

    /**
     * Customers by their segment the night before and on the night (the nights exported before it, in the
     * scope); a customer absent on one side (new, or no longer scored) has no segment there. Read from
     * {@code segment_moves} ({@link SegmentAggregates}) derived against that previous night; if there are
     * none (a night exported before V3 whose aggregates the hub has not derived yet, or an earlier night
     * exported in between whose export has not re-derived them yet), from the two nights' RFM rows.
     */
    public Optional<Movements> movements(String scope, LocalDate night) {
        List<JsonNode> before = warehouse.query("SELECT DISTINCT business_date FROM nightly_runs WHERE business_date < toDate('%s') "
                .formatted(night) + "ORDER BY business_date DESC LIMIT 1");
        if (before.isEmpty()) {
            return Optional.empty();
        }
        LocalDate previous = LocalDate.parse(before.get(0).path("business_date").asString());
        List<JsonNode> rows = warehouse.query("""
                SELECT from_segment, to_segment, sum(customer_count) AS customers FROM segment_moves
                 WHERE scope = '%s' AND business_date = toDate('%s') AND previous_date = toDate('%s')
                 GROUP BY from_segment, to_segment ORDER BY from_segment, to_segment""".formatted(slug(scope), night, previous));
        if (rows.isEmpty()) {
            rows = warehouse.query("""
                    SELECT from_segment, to_segment, count() AS customers
                      FROM (SELECT customer_id,
                                   anyIf(segment, business_date = toDate('%3$s')) AS from_segment,
                                   anyIf(segment, business_date = toDate('%2$s')) AS to_segment
                              FROM rfm_segments
                             WHERE scope = '%1$s' AND business_date IN (toDate('%2$s'), toDate('%3$s'))
                             GROUP BY customer_id)
                     GROUP BY from_segment, to_segment ORDER BY from_segment, to_segment""".formatted(slug(scope), night, previous));
        }
        List<Movement> moves = new ArrayList<>();
        for (JsonNode r : rows) {
            moves.add(new Movement(blankAsNull(r.path("from_segment").asString()), blankAsNull(r.path("to_segment").asString()),
                    r.path("customers").asLong()));
        }
        return Optional.of(new Movements(scope, previous, night, moves));
    }

    /**
     * Customers per tenth of churn risk ([0, 0.1) is decile 0, [0.9, 1] decile 9) of each night in [from, to],
     * from the nights' {@code risk_deciles} ({@link RiskAggregates}), ten rows a night, not from every prediction.
     */
    public List<RiskDecile> churnRisk(LocalDate from, LocalDate to) {
        return warehouse.query("""
                SELECT business_date, decile, sum(customer_count) AS customers
                  FROM risk_deciles
                 WHERE business_date BETWEEN toDate('%s') AND toDate('%s')
                 GROUP BY business_date, decile ORDER BY business_date, decile""".formatted(from, to))
                .stream().map(r -> new RiskDecile(LocalDate.parse(r.path("business_date").asString()), r.path("decile").asInt(),
                        r.path("customers").asLong())).toList();
    }

    /**
     * Sales and points per partner and day (the event's day) in [from, to]; one partner's or all; without
     * the events of the connections {@code hidden} (medical ones, for a caller without the grant). Summed
     * from the nights' {@code partner_day_totals} ({@link NightAggregates}), a few rows per night, not from
     * every event.
     */
    public List<PartnerDay> partnerDays(LocalDate from, LocalDate to, String partner, Set<String> hidden) {
        String onlyPartner = (partner == null ? "" : " AND partner = '" + slug(partner) + "'")
                + (hidden.isEmpty() ? "" : " AND connection_id NOT IN (" + String.join(", ",
                hidden.stream().sorted().map(id -> "'" + connectionId(id) + "'").toList()) + ")");
        return warehouse.query("""
                SELECT event_day, partner,
                       sum(sale_count) AS sales,
                       sum(sale_sum) AS sales_kopecks,
                       sum(refund_sum) AS refunds_kopecks,
                       sum(void_sum) AS voids_kopecks,
                       sum(amount_sum) AS net_kopecks,
                       sum(earned_sum) AS points_earned,
                       sum(activated_sum) AS points_activated,
                       sum(expired_sum) AS points_expired,
                       sum(reversed_sum) AS points_reversed,
                       sum(redeemed_sum) AS points_redeemed
                  FROM partner_day_totals
                 WHERE event_day BETWEEN toDate('%s') AND toDate('%s')%s
                 GROUP BY event_day, partner ORDER BY event_day, partner""".formatted(from, to, onlyPartner))
                .stream().map(r -> new PartnerDay(LocalDate.parse(r.path("event_day").asString()), r.path("partner").asString(),
                        r.path("sales").asLong(), r.path("sales_kopecks").asLong(), r.path("refunds_kopecks").asLong(),
                        r.path("voids_kopecks").asLong(), r.path("net_kopecks").asLong(), r.path("points_earned").asLong(),
                        r.path("points_activated").asLong(), r.path("points_expired").asLong(), r.path("points_reversed").asLong(),
                        r.path("points_redeemed").asLong())).toList();
    }

    /**
     * Cohorts by the month of their first purchase (sale event): of each cohort, how many bought in each
     * month since (a month counts a customer once, however many purchases). The sum of the nights'
     * {@code cohort_changes} ({@link NightAggregates}): a few hundred rows per night, not every sale.
     */
    public List<Cohort> cohorts() {
        Map<YearMonth, List<CohortMonth>> months = new LinkedHashMap<>();
        for (JsonNode r : warehouse.query("""
                SELECT cohort, month, sum(delta) AS customers FROM cohort_changes
                 GROUP BY cohort, month HAVING customers > 0 ORDER BY cohort, month""")) {
            YearMonth cohort = YearMonth.from(LocalDate.parse(r.path("cohort").asString()));
            months.computeIfAbsent(cohort, c -> new ArrayList<>()).add(
                    new CohortMonth(YearMonth.from(LocalDate.parse(r.path("month").asString())), r.path("customers").asLong()));
        }
        List<Cohort> cohorts = new ArrayList<>();
        months.forEach((cohort, active) -> {
            long size = active.get(0).month().equals(cohort) ? active.get(0).customers() : 0;
            cohorts.add(new Cohort(cohort, size, active.stream().map(m -> new CohortMonth(m.month(), m.customers(),
                    size == 0 ? 0 : (double) m.customers() / size)).toList()));
        });
        return cohorts;
    }

    static String slug(String value) {
        if (value == null || !SLUG.matcher(value).matches()) {
            throw new IllegalArgumentException("scope and partner are 'circle', a connection id or a partner id "
                    + "(lower-case letters, digits and dashes)");
        }
        return value;
    }

    /** A connection id as the hub allows them ({@code [A-Za-z0-9][A-Za-z0-9_.-]*}): nothing to quote in it. */
    private static String connectionId(String id) {
        if (!CONNECTION_ID.matcher(id).matches()) {
            throw new IllegalStateException("a connection id the hub would not have made");
        }
        return id;
    }

    private static String blankAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    public record SegmentSize(LocalDate businessDate, String segment, long customers) {
    }

    public record Movement(String fromSegment, String toSegment, long customers) {
    }

    public record Movements(String scope, LocalDate previousNight, LocalDate night, List<Movement> movements) {
    }

    public record RiskDecile(LocalDate businessDate, int decile, long customers) {
    }

    public record PartnerDay(LocalDate day, String partner, long sales, long salesKopecks, long refundsKopecks, long voidsKopecks,
                             long netKopecks, long pointsEarned, long pointsActivated, long pointsExpired, long pointsReversed,
                             long pointsRedeemed) {
    }

    public record CohortMonth(YearMonth month, long customers, double retention) {
        CohortMonth(YearMonth month, long customers) {
            this(month, customers, 0);
        }
    }

    public record Cohort(YearMonth cohort, long customers, List<CohortMonth> months) {
    }
}
