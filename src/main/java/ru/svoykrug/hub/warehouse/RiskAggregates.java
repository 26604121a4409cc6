package ru.svoykrug.hub.warehouse;

import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.TreeSet;

/**
 * The churn-risk deciles the analytics read (V4 of the warehouse), derived in ClickHouse from a night's
 * {@code churn_predictions} right after the export replaced its partition, and swapped in whole like it:
 * customers per tenth of churn risk of the circle. Read from every prediction, the distribution over a
 * month of nights at a million customers a night came close to the analytics' 100 ms.
 */
@Component
class RiskAggregates {

    // (the alias differs from the column: ClickHouse 18.16 would read a same-named alias inside count() too)
    private static final String DECILES = """
            INSERT INTO %1$s
            SELECT business_date, toUInt8(least(floor(churn_risk * 10), 9)) AS tenth, count()
              FROM churn_predictions
             WHERE scope = 'circle' AND business_date = toDate(%2$s)
             GROUP BY business_date, tenth""";

    private final Warehouse warehouse;

    RiskAggregates(Warehouse warehouse) {
        this.warehouse = warehouse;
    }

    /** Derives the night's deciles from its churn predictions (exported before this). */
    void derive(LocalDate night) {
        PartitionLoad.replace(warehouse, "risk_deciles", night,
                load -> warehouse.execute(DECILES.formatted(load, PartitionLoad.literal(night))));
        warehouse.execute("INSERT INTO risk_nights (business_date, derived_at) VALUES (toDate("
                + PartitionLoad.literal(night) + "), now())");
    }

    /** Derives the deciles of the exported nights that have none (those exported before V4). */
    void deriveMissing() {
        TreeSet<LocalDate> missing = warehouse.businessDates("SELECT DISTINCT business_date FROM nightly_runs");
        missing.removeAll(warehouse.businessDates("SELECT DISTINCT business_date FROM risk_nights"));
        missing.forEach(this::derive);
    }
}
