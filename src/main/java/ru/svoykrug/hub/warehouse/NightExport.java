package ru.svoykrug.hub.warehouse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The night's last step: exports the night to the warehouse, exactly once per business date. Inside the
 * step's PostgreSQL transaction it records what the night changed ({@link NightEvents}) while a second
 * connection sends the night's ledger entries, RFM and churn scores ({@link SideConnection}), then replaces the
 * night's partition of each ClickHouse table with PostgreSQL's rows for that date ({@link PartitionLoad}):
 * {@code analytics_events} (the night's purchase events and the ledger's entries it posted), {@code rfm_segments},
 * {@code churn_predictions} and {@code nightly_runs}; right after the events, the aggregates the analytics
 * read are derived from them ({@link NightAggregates}), and right after the RFM rows and churn scores their
 * segment counts and movements ({@link SegmentAggregates}) and churn-risk deciles ({@link RiskAggregates}).
 * Exporting a night again, or after a crash anywhere in it, sends the same rows and leaves one copy. Without a warehouse configured it does nothing; with one,
 * any failure fails the step (which a restart of the night runs again). No name or phone leaves
 * PostgreSQL: customers are ids; customers the {@link ConsentGate} names are left out.
 */
@Component
public class NightExport {

    private static final Logger log = LoggerFactory.getLogger(NightExport.class);

    private static final String EXCLUDED = " NOT EXISTS (SELECT 1 FROM export_excluded x WHERE x.customer_id = %s.customer_id)";

    // Times go as Unix seconds, which ClickHouse reads into a DateTime as it reads 'YYYY-MM-DD hh:mm:ss' (18.16
    // and 25.8 alike): to_char cost PostgreSQL about a microsecond a row, tens of seconds of a first night's export;
    // date_part's double, not extract's numeric, 0.1 to 0.15 us a row less. The night's date goes as the literal
    // it is, not formatted again for each of tens of millions of rows (0.14 us each).
    private static final String PURCHASE_EVENTS = """
            SELECT %1$s, e.event_type, coalesce(c.partner_id, ''), e.connection_id, e.customer_id, e.source_id,
                   e.event_day, floor(date_part('epoch', e.occurred_at))::bigint, coalesce(c.zone, 'UTC'),
                   e.amount_kopecks, 0, 0
              FROM warehouse.purchase_event e
              LEFT JOIN ops.partner_connection c ON c.id = e.connection_id
             WHERE e.business_date = %1$s""";

    private static final String LEDGER_ENTRIES = """
            SELECT %1$s,
                   CASE l.entry_type WHEN 'EARN' THEN 'points_earned' WHEN 'ACTIVATE' THEN 'points_activated'
                        WHEN 'EXPIRE' THEN 'points_expired' WHEN 'REVERSE' THEN 'points_reversed' ELSE 'points_redeemed' END,
                   coalesce(c.partner_id, ''), l.connection_id, l.customer_id, l.source_id, l.effective_on,
                   date_part('epoch', l.effective_on::timestamp AT TIME ZONE coalesce(c.zone, 'UTC'))::bigint,
                   coalesce(c.zone, 'UTC'), 0, l.pending_delta, l.active_delta
              FROM core.points_ledger l
              LEFT JOIN ops.partner_connection c ON c.id = l.connection_id
             WHERE l.business_date = %1$s AND""" + EXCLUDED.formatted("l");

    private static final String RFM = """
            SELECT %1$s, r.scope, coalesce(c.partner_id, ''), r.customer_id, r.recency_days, r.frequency,
                   r.monetary_kopecks, r.r, r.f, r.m, r.segment
              FROM core.rfm r
              LEFT JOIN ops.partner_connection c ON c.id = r.scope
             WHERE r.business_date = %1$s AND""" + EXCLUDED.formatted("r");

    private static final String CHURN = """
            SELECT %1$s, 'circle', s.customer_id, coalesce(r.segment, ''), s.repeat_purchases, s.recency_weeks,
                   s.age_weeks, s.probability_alive, s.churn_risk, s.expected_purchases_90d, s.expected_average_kopecks,
                   s.expected_value_12m_kopecks
              FROM core.churn_score s
              LEFT JOIN core.rfm r ON r.business_date = s.business_date AND r.scope = 'circle' AND r.customer_id = s.customer_id
             WHERE s.business_date = %1$s AND""" + EXCLUDED.formatted("s");

    // The night's steps as they last completed (a restarted night's early steps completed in its first
    // execution), read from Spring Batch's tables; then the models the churn step fitted.
    private static final String RUNS = """
            WITH night AS (
                SELECT e.job_execution_id, e.job_instance_id
                  FROM batch_job_execution e
                  JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id AND i.job_name = 'nightly'
                  JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id AND p.parameter_name = 'businessDate'
                 WHERE p.parameter_value = %1$s
                 ORDER BY e.job_execution_id DESC LIMIT 1)
            SELECT * FROM (
                SELECT DISTINCT ON (s.step_name) CAST(%1$s AS date), n.job_execution_id, 'step', s.step_name, s.read_count,
                       s.write_count, (extract(epoch FROM s.end_time - s.start_time) * 1000)::bigint, '', NULL::float8, 0
                  FROM night n
                  JOIN batch_job_execution e ON e.job_instance_id = n.job_instance_id
                  JOIN batch_step_execution s ON s.job_execution_id = e.job_execution_id AND s.status = 'COMPLETED'
                 ORDER BY s.step_name, s.step_execution_id DESC) steps
            UNION ALL
            SELECT m.business_date, coalesce((SELECT job_execution_id FROM night), 0), 'model', m.model, 0, 0, 0,
                   m.parameters::text, m.log_likelihood, m.customers
              FROM core.churn_model m
             WHERE m.business_date = %1$s""";

    private final Warehouse warehouse;
    private final WarehouseMigrations migrations;
    private final NightEvents events;
    private final DataSource postgres;
    private final int chunkBytes;
    private final ConsentGate consent;
    private final JdbcTemplate jdbc;
    private final PartitionLoad load;
    private final NightAggregates aggregates;
    private final SegmentAggregates segments;
    private final RiskAggregates risks;

    NightExport(Warehouse warehouse, WarehouseMigrations migrations, NightEvents events, ConsentGate consent, JdbcTemplate jdbc,
                DataSource postgres, WarehouseProperties properties, NightAggregates aggregates, SegmentAggregates segments,
                RiskAggregates risks) {
        this.warehouse = warehouse;
        this.migrations = migrations;
        this.events = events;
        this.postgres = postgres;
        this.chunkBytes = properties.chunkBytes();
        this.consent = consent;
        this.jdbc = jdbc;
        this.load = new PartitionLoad(warehouse, postgres, properties.chunkBytes());
        this.aggregates = aggregates;
        this.segments = segments;
        this.risks = risks;
    }

    /** Exports the night of the date (in the step's transaction); says what it read and how many rows it sent. */
    public Exported export(LocalDate businessDate) {
        if (!warehouse.configured()) {
            log.info("Night of {}: no warehouse configured, nothing exported", businessDate);
            return new Exported(0, 0);
        }
        long started = System.nanoTime();
        migrations.ensure();
        ExcludedCustomers.list(jdbc, consent);
        jdbc.execute("ANALYZE export_excluded");
        String date = PartitionLoad.literal(businessDate);
        long[] changed = new long[1];
        long rows;
        try (SideConnection side = new SideConnection(postgres, warehouse, chunkBytes, ExcludedCustomers.read(jdbc))) {
            long[] eventRows = new long[1];
            List<CompletableFuture<Long>> snapshots = new ArrayList<>();
            PartitionLoad.replace(warehouse, "analytics_events", businessDate, table -> {
                // committed by earlier steps: on the second connection while this one records the purchase events
                CompletableFuture<Long> ledger = side.submit(load -> load.append(table, LEDGER_ENTRIES.formatted(date)));
                snapshots.add(side.submit(load -> timed(businessDate, "rfm_segments",
                        () -> load.replace("rfm_segments", businessDate, RFM.formatted(date)))));
                snapshots.add(side.submit(load -> timed(businessDate, "churn_predictions",
                        () -> load.replace("churn_predictions", businessDate, CHURN.formatted(date)))));
                changed[0] = events.record(businessDate);
                jdbc.execute("ANALYZE warehouse.purchase_event");
                log.info("Night of {}: {} purchases changed since the last export, recorded in {} ms", businessDate, changed[0],
                        (System.nanoTime() - started) / 1_000_000);
                long sending = System.nanoTime();
                long purchases = load.append(table, PURCHASE_EVENTS.formatted(date));
                long sent = System.nanoTime();
                long entries = SideConnection.rows(ledger);
                eventRows[0] = purchases + entries;
                log.info("Night of {}: {} purchase events sent in {} ms; {} ledger entries sent meanwhile on a second connection, "
                                + "{} ms more awaited", businessDate, purchases, (sent - sending) / 1_000_000, entries,
                        (System.nanoTime() - sent) / 1_000_000);
            });
            log.info("Night of {}: {} rows of analytics_events exported in {} ms", businessDate, eventRows[0],
                    (System.nanoTime() - started) / 1_000_000);
            aggregates.derive(businessDate);
            long waiting = System.nanoTime();
            side.close();
            log.info("Night of {}: the second connection's RFM and churn scores awaited {} ms more", businessDate,
                    (System.nanoTime() - waiting) / 1_000_000);
            rows = eventRows[0];
            for (CompletableFuture<Long> snapshot : snapshots) {
                rows += SideConnection.rows(snapshot);
            }
        }
        segments.derive(businessDate);
        risks.derive(businessDate);
        rows += timed(businessDate, "nightly_runs", () -> load.replace("nightly_runs", businessDate, RUNS.formatted(date)));
        log.info("Night of {}: {} purchases changed since the last export; {} rows exported to the warehouse in {} ms",
                businessDate, changed[0], rows, (System.nanoTime() - started) / 1_000_000);
        return new Exported(changed[0], rows);
    }

    private static long timed(LocalDate businessDate, String table, java.util.function.LongSupplier load) {
        long started = System.nanoTime();
        long rows = load.getAsLong();
        log.info("Night of {}: {} rows of {} exported in {} ms", businessDate, rows, table, (System.nanoTime() - started) / 1_000_000);
        return rows;
    }

    /** What an export read (purchases changed since the last) and wrote (rows sent to ClickHouse). */
    public record Exported(long purchasesChanged, long rowsExported) {
    }
}
