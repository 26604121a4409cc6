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
 * The segment aggregates the analytics read (V3 of the warehouse), derived in ClickHouse from the nights'
 * {@code rfm_segments} right after the export replaced a night's partition, and swapped in whole like it:
 * {@code segment_counts} (customers per scope and segment of the night) and {@code segment_moves} (customers
 * per scope by segment on the previous night and on the night). The previous night of a night is the latest
 * night exported before it (in {@code nightly_runs}, as the movements query reads it); so a night exported
 * for an earlier date after later ones also re-derives the movements of the first night after it, whose
 * previous night it now is. Each row of {@code segment_moves} names the previous night it was derived
 * against, and the query reads only the rows of the previous night it finds.
 */
@Component
class SegmentAggregates {

    private static final Logger log = LoggerFactory.getLogger(SegmentAggregates.class);

    private static final String COUNTS = """
            INSERT INTO %1$s
            SELECT business_date, scope, segment, count()
              FROM rfm_segments
             WHERE business_date = toDate(%2$s)
             GROUP BY business_date, scope, segment""";

    // One pass over both nights grouped by customer, not a join: ClickHouse 18.16 fills the USING keys of a
    // FULL JOIN's right-only rows with defaults. anyIf gives '' to the side a customer is missing from.
    private static final String MOVES = """
            INSERT INTO %1$s
            SELECT toDate(%2$s), toDate(%3$s), scope, from_segment, to_segment, count()
              FROM (SELECT scope, customer_id,
                           anyIf(segment, business_date = toDate(%3$s)) AS from_segment,
                           anyIf(segment, business_date = toDate(%2$s)) AS to_segment
                      FROM rfm_segments
                     WHERE business_date IN (toDate(%2$s), toDate(%3$s))
                     GROUP BY scope, customer_id)
             GROUP BY scope, from_segment, to_segment""";

    private final Warehouse warehouse;

    SegmentAggregates(Warehouse warehouse) {
        this.warehouse = warehouse;
    }

    /** Derives the night's segment counts and movements, and the movements of the night after it. */
    void derive(LocalDate night) {
        derive(List.of(night));
    }

    /** Derives the segment aggregates of the exported nights that have none (those exported before V3). */
    void deriveMissing() {
        TreeSet<LocalDate> missing = warehouse.businessDates("SELECT DISTINCT business_date FROM nightly_runs");
        missing.removeAll(warehouse.businessDates("SELECT DISTINCT business_date FROM segment_nights"));
        if (!missing.isEmpty()) {
            derive(missing);
        }
    }

    private void derive(Collection<LocalDate> nights) {
        long started = System.nanoTime();
        TreeSet<LocalDate> sorted = new TreeSet<>(nights);
        // the nights being exported are not in nightly_runs yet: that table is the export's last
        TreeSet<LocalDate> exported = warehouse.businessDates("SELECT DISTINCT business_date FROM nightly_runs");
        exported.addAll(sorted);
        TreeSet<LocalDate> moved = new TreeSet<>(sorted);
        for (LocalDate night : sorted) {
            LocalDate next = exported.higher(night);
            if (next != null) {
                moved.add(next);
            }
            String date = PartitionLoad.literal(night);
            PartitionLoad.replace(warehouse, "segment_counts", night, load -> warehouse.execute(COUNTS.formatted(load, date)));
        }
        for (LocalDate night : moved) {
            LocalDate previous = exported.lower(night);
            if (previous == null) {
                // the first night exported has no movements
                warehouse.execute("ALTER TABLE segment_moves DROP PARTITION " + PartitionLoad.partition(night));
            } else {
                PartitionLoad.replace(warehouse, "segment_moves", night,
                        load -> warehouse.execute(MOVES.formatted(load, PartitionLoad.literal(night), PartitionLoad.literal(previous))));
            }
        }
        List<String> values = new ArrayList<>();
        sorted.forEach(night -> values.add("(toDate(" + PartitionLoad.literal(night) + "), now())"));
        warehouse.execute("INSERT INTO segment_nights (business_date, derived_at) VALUES " + String.join(", ", values));
        log.info("Segment aggregates of {} night(s) from {} derived (movements of {}) in {} ms", sorted.size(), sorted.first(),
                moved.size(), (System.nanoTime() - started) / 1_000_000);
    }
}
