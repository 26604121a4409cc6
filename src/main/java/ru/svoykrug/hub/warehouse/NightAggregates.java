package ru.svoykrug.hub.warehouse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The aggregates the analytics read (V2 of the warehouse): derived in ClickHouse from a night's partition
 * of {@code analytics_events} right after the export replaced it, each into its {@code _load} twin and then
 * swapped in whole ({@code REPLACE PARTITION}), like the events: deriving a night again leaves one copy.
 * {@code partner_day_totals} and {@code customer_sale_months} depend on the night's events only;
 * {@code cohort_changes} of a night is the cohort table of the nights up to it less that of the nights
 * before it, so a night derived again re-derives the later nights' changes too (none, unless an older
 * night is exported again). Nights exported before V2 are derived once, when the schema is applied.
 */
@Component
class NightAggregates {

    private static final Logger log = LoggerFactory.getLogger(NightAggregates.class);

    private static final String PARTNER_DAYS = """
            INSERT INTO %1$s
            SELECT business_date, event_day, partner, connection_id,
                   countIf(event_type = 'sale'),
                   sumIf(amount_kopecks, event_type = 'sale'),
                   sumIf(amount_kopecks, event_type = 'refund'),
                   sumIf(amount_kopecks, event_type = 'void'),
                   sum(amount_kopecks),
                   sumIf(points_pending + points_active, event_type = 'points_earned'),
                   sumIf(points_active, event_type = 'points_activated'),
                   -sumIf(points_pending + points_active, event_type = 'points_expired'),
                   -sumIf(points_pending + points_active, event_type = 'points_reversed'),
                   -sumIf(points_pending + points_active, event_type = 'points_redeemed')
              FROM analytics_events
             WHERE business_date = toDate(%2$s)
             GROUP BY business_date, event_day, partner, connection_id""";

    private static final String SALE_MONTHS = """
            INSERT INTO %1$s
            SELECT DISTINCT business_date, customer_id, toStartOfMonth(event_day)
              FROM analytics_events
             WHERE business_date = toDate(%2$s) AND event_type = 'sale'""";

    // Of the customers with sales that night: their months up to the night and before it, each side's
    // (cohort = least month, month) counted +1 and -1. ClickHouse 18.16 has no CTE for the sub-select.
    private static final String MONTHS_OF_THE_NIGHTS_CUSTOMERS = """
            SELECT customer_id, groupUniqArray(month) AS upto, groupUniqArrayIf(month, business_date < toDate(%1$s)) AS before
              FROM customer_sale_months
             WHERE business_date <= toDate(%1$s)
               AND customer_id IN (SELECT customer_id FROM customer_sale_months WHERE business_date = toDate(%1$s))
             GROUP BY customer_id""";

    private static final String COHORT_CHANGES = """
            INSERT INTO %1$s
            SELECT toDate(%2$s), cohort, month, sum(sign) AS delta
              FROM (SELECT arrayReduce('min', upto) AS cohort, arrayJoin(upto) AS month, toInt64(1) AS sign FROM (%3$s)
                    UNION ALL
                    SELECT arrayReduce('min', before) AS cohort, arrayJoin(before) AS month, toInt64(-1) AS sign FROM (%3$s)
                     WHERE notEmpty(before))
             GROUP BY cohort, month
            HAVING delta != 0""";

    private final Warehouse warehouse;

    NightAggregates(Warehouse warehouse) {
        this.warehouse = warehouse;
    }

    /** Derives the night's aggregates from its events (and the later nights' cohort changes). */
    void derive(LocalDate night) {
        derive(List.of(night));
    }

    /** Derives the aggregates of the exported nights that have none (those exported before V2). */
    void deriveMissing() {
        TreeSet<LocalDate> missing = warehouse.businessDates("SELECT DISTINCT business_date FROM nightly_runs");
        missing.removeAll(warehouse.businessDates("SELECT DISTINCT business_date FROM derived_nights"));
        if (!missing.isEmpty()) {
            derive(missing);
        }
    }

    private void derive(Collection<LocalDate> nights) {
        long started = System.nanoTime();
        TreeSet<LocalDate> sorted = new TreeSet<>(nights);
        for (LocalDate night : sorted) {
            String date = PartitionLoad.literal(night);
            PartitionLoad.replace(warehouse, "partner_day_totals", night, load -> warehouse.execute(PARTNER_DAYS.formatted(load, date)));
            PartitionLoad.replace(warehouse, "customer_sale_months", night, load -> warehouse.execute(SALE_MONTHS.formatted(load, date)));
        }
        TreeSet<LocalDate> cohortNights = new TreeSet<>(sorted);
        cohortNights.addAll(warehouse.businessDates("SELECT DISTINCT business_date FROM customer_sale_months WHERE business_date > toDate("
                + PartitionLoad.literal(sorted.first()) + ")"));
        for (LocalDate night : cohortNights) {
            String date = PartitionLoad.literal(night);
            String customers = MONTHS_OF_THE_NIGHTS_CUSTOMERS.formatted(date);
            PartitionLoad.replace(warehouse, "cohort_changes", night, load -> warehouse.execute(COHORT_CHANGES.formatted(load, date, customers)));
        }
        List<String> values = new ArrayList<>();
        sorted.forEach(night -> values.add("(toDate(" + PartitionLoad.literal(night) + "), now())"));
        warehouse.execute("INSERT INTO derived_nights (business_date, derived_at) VALUES " + String.join(", ", values));
        log.info("Aggregates of {} night(s) from {} derived (cohort changes of {}) in {} ms", sorted.size(), sorted.first(),
                cohortNights.size(), (System.nanoTime() - started) / 1_000_000);
    }
}
