package ru.svoykrug.hub.warehouse;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.nightly.NightlyFaults;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.nightly.StagingFixture;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The night's export against a real ClickHouse server: each table's partition of a night holds exactly
 * PostgreSQL's rows of that night (counts and sums), after the night, after the same night again, after a
 * crash halfway through the export and after a crash once ClickHouse had it all; and a next night sends
 * only what changed.
 */
class WarehouseExportTest extends HubIntegrationTest {

    private static final LocalDate FIRST = LocalDate.of(2025, 6, 30);
    private static final LocalDate CRASHED = LocalDate.of(2025, 9, 30);

    @Autowired
    ConnectionService connections;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    NightlyRuns runs;
    @Autowired
    Warehouse warehouse;
    @Autowired
    NightlyFaults faults;

    @Test
    void aNightExportedOnceAgainAndThenTheNextOneSendsWhatChangedOnce() {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "wh-shop");
        List<String> sales = history(shop, "wh", FIRST);
        shop.refund(sales.get(0), FIRST.minusDays(3), 40);

        night(FIRST);
        assertClickHouseEqualsPostgres(FIRST);
        long firstEvents = eventCount(FIRST);
        assertThat(firstEvents).isPositive();

        night(FIRST);
        assertClickHouseEqualsPostgres(FIRST);
        assertThat(eventCount(FIRST)).as("the same night again leaves one copy").isEqualTo(firstEvents);

        LocalDate next = FIRST.plusDays(1);
        shop.sale("wh-0", next, 700);
        shop.refund(sales.get(1), next, 25);
        shop.setStatus(sales.get(2), "VOID");
        night(next);
        assertClickHouseEqualsPostgres(next);
        assertThat(count("SELECT event_type AS name, count() AS n FROM analytics_events WHERE business_date = toDate('" + next
                + "') AND connection_id = 'wh-shop' AND event_type IN ('sale', 'refund', 'void') GROUP BY name ORDER BY name"))
                .as("only what changed: one new sale, one refund, one void")
                .isEqualTo("sale=1,refund=1,void=1");
        assertThat(eventCount(FIRST)).as("the first night's partition untouched").isEqualTo(firstEvents);

        long exportedNet = warehouse.query("SELECT sum(amount_kopecks) AS s FROM analytics_events WHERE connection_id = 'wh-shop'")
                .get(0).path("s").asLong();
        assertThat(exportedNet).as("all nights' events add up to the purchases' value today").isEqualTo(jdbc.queryForObject("""
                SELECT sum(amount_kopecks - refunded_kopecks) FROM core.purchase
                 WHERE connection_id = 'wh-shop' AND completed AND purchase_day <= ?""", Long.class, next));
    }

    @Test
    void anExportCutOffHalfwayOrAfterClickHouseHadItAllLeavesOneCopyOnceRestarted() {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "wh-crash");
        history(shop, "cr", CRASHED);

        // halfway: the events, RFM and churn partitions are replaced, then the last table is not there
        warehouse.execute("RENAME TABLE nightly_runs TO nightly_runs_away");
        JobExecution failed;
        try {
            failed = runs.runAndWait(CRASHED, Duration.ofMinutes(5));
        } finally {
            warehouse.execute("RENAME TABLE nightly_runs_away TO nightly_runs");
        }
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(failed.getStepExecutions()).filteredOn(s -> s.getStatus() == BatchStatus.FAILED)
                .extracting(StepExecution::getStepName).containsExactly("warehouse");
        assertThat(eventCount(CRASHED)).as("ClickHouse got the events before the crash").isPositive();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM warehouse.purchase_event WHERE business_date = ?", Long.class, CRASHED))
                .as("PostgreSQL's record of them rolled back").isZero();

        night(CRASHED);
        assertClickHouseEqualsPostgres(CRASHED);

        // after ClickHouse had everything, the step's PostgreSQL transaction dies: its restart sends it all again
        long events = eventCount(CRASHED);
        faults.crashIn("warehouse");
        assertThat(runs.runAndWait(CRASHED, Duration.ofMinutes(5)).getStatus()).isEqualTo(BatchStatus.FAILED);
        night(CRASHED);
        assertClickHouseEqualsPostgres(CRASHED);
        assertThat(eventCount(CRASHED)).isEqualTo(events);
    }

    /**
     * A next night compares only the purchases that can differ (V35), and still sends every change: a sale
     * dated after the night, once its day comes; a sale staged for a day between two nights while an earlier
     * night is exported again (it waits on the list for a later night); a customer's refund while they had
     * withdrawn consent, once they give it again, and their sale of a day between the nights, although an earlier
     * night was exported again before the next one.
     */
    @Test
    void aNextNightComparesOnlyWhatCanDifferAndStillSendsEveryChange() {
        LocalDate first = LocalDate.of(2025, 12, 10);
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "wh-todo");
        List<String> sales = history(shop, "wt", first);
        String later = shop.sale("wt-1", first.plusDays(2), 500);
        night(first);

        long withdrawing = shop.customerId("wt-3");
        jdbc.update("""
                INSERT INTO privacy.consent (customer_id, given, since, by_role, by_subject) VALUES (?, false, now(), 'OPS', 'test')
                ON CONFLICT (customer_id) DO UPDATE SET given = EXCLUDED.given, since = EXCLUDED.since""", withdrawing);
        String withdrawnSale = sales.get(6); // wt-3's first
        assertThat(jdbc.queryForObject("SELECT customer_id FROM core.purchase WHERE connection_id = 'wh-todo' AND source_id = ?",
                Long.class, withdrawnSale)).isEqualTo(withdrawing);
        shop.refund(withdrawnSale, first.plusDays(1), 15);
        shop.refund(sales.get(0), first.plusDays(1), 10);
        shop.sale("wt-3", first.plusDays(1), 70);          // bought while left out, dated after the first night
        night(first.plusDays(1));
        assertThat(exportedNet()).as("left out: the withdrawn customer's refund").isNotEqualTo(net(first.plusDays(1)));

        jdbc.update("UPDATE privacy.consent SET given = true, since = now() WHERE customer_id = ?", withdrawing);
        shop.sale("wt-5", first.plusDays(1), 300);     // staged now for the day between the nights
        night(first);                                   // an earlier night again: that sale is after it
        night(first.plusDays(2));
        assertClickHouseEqualsPostgres(first.plusDays(2));
        assertThat(exportedNet()).as("every night's events add up to the purchases' value today").isEqualTo(net(first.plusDays(2)));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM warehouse.purchase_exported WHERE connection_id = 'wh-todo' AND source_id = ?",
                Long.class, later)).as("the sale dated after the first night").isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT full_comparison FROM warehouse.export_state", Boolean.class))
                .as("the next night compares only what can differ").isFalse();
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM core.export_todo t JOIN core.purchase p USING (connection_id, source_id)
                 WHERE p.connection_id = 'wh-todo' AND p.purchase_day <= ?""", Long.class, first.plusDays(2)))
                .as("nothing left to compare").isZero();
    }

    /**
     * A first export (nothing exported yet: a warehouse connected to a hub with history) sends every purchase's
     * events and every ledger entry of the night from both connections, each table cut into block ranges:
     * ClickHouse gets exactly what PostgreSQL recorded, nothing twice, nothing missed. The night is dated
     * before every other test's sales, so that only this test's are new; what the others exported is put back.
     */
    @Test
    void aFirstExportSendsEveryEventOnceFromPiecesOfItsTables() {
        LocalDate night = LocalDate.of(1995, 3, 15);
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "wh-first");
        List<String> sales = new java.util.ArrayList<>();
        for (int i = 0; i < 240; i++) {
            sales.add(shop.sale("wf-" + i % 40, night.minusDays(1 + (i * 7L) % 500), 100 + i));
        }
        shop.refund(sales.get(0), night.minusDays(2), 30);
        shop.refund(sales.get(7), night.minusDays(1), 15);
        jdbc.execute("CREATE TABLE public.exported_before AS SELECT * FROM warehouse.purchase_exported");
        LocalDate latest = jdbc.queryForObject("SELECT latest_night FROM warehouse.export_state", LocalDate.class);
        try {
            jdbc.execute("TRUNCATE warehouse.purchase_exported");
            night(night);

            assertClickHouseEqualsPostgres(night);
            assertThat(one("SELECT count() AS n, sum(amount_kopecks) AS s FROM analytics_events WHERE business_date = toDate('" + night
                    + "') AND connection_id = 'wh-first' AND event_type IN ('sale', 'refund')"))
                    .as("every sale and refund once").isEqualTo(jdbc.queryForObject("""
                            SELECT (count(*) + count(*) FILTER (WHERE refunded_kopecks <> 0)) || ',' || sum(amount_kopecks - refunded_kopecks)
                              FROM core.purchase WHERE connection_id = 'wh-first' AND completed AND purchase_day <= ?""", String.class, night));
            assertThat(eventCount(night)).as("of this test's partner alone").isEqualTo(warehouse.query(
                    "SELECT count() AS n FROM analytics_events WHERE business_date = toDate('" + night + "') AND connection_id = 'wh-first'")
                    .get(0).path("n").asLong());
        } finally {
            jdbc.execute("INSERT INTO warehouse.purchase_exported SELECT * FROM public.exported_before ON CONFLICT DO NOTHING");
            jdbc.update("UPDATE warehouse.export_state SET latest_night = greatest(latest_night, ?)", latest);
            jdbc.execute("DROP TABLE public.exported_before");
            // the circle of later tests' nights (the CDNOW fits count every customer who bought before 1997) is theirs
            jdbc.update("UPDATE staging.sale SET status = 'VOID', source_changed_at = now() WHERE connection_id = 'wh-first'");
        }
    }

    private long exportedNet() {
        return warehouse.query("SELECT sum(amount_kopecks) AS s FROM analytics_events WHERE connection_id = 'wh-todo'")
                .get(0).path("s").asLong();
    }

    private long net(LocalDate upTo) {
        return jdbc.queryForObject("""
                SELECT sum(amount_kopecks - refunded_kopecks) FROM core.purchase
                 WHERE connection_id = 'wh-todo' AND completed AND purchase_day <= ?""", Long.class, upTo);
    }

    /** Twelve customers of the partner with one to four purchases in the months before the night. */
    private static List<String> history(StagingFixture shop, String prefix, LocalDate night) {
        List<String> sales = new java.util.ArrayList<>();
        for (int c = 0; c < 12; c++) {
            for (int k = 0; k <= c % 4; k++) {
                sales.add(shop.sale(prefix + "-" + c, night.minusDays(2 + 17L * k + c), 100 + 10L * c + k));
            }
        }
        return sales;
    }

    private void night(LocalDate date) {
        JobExecution night = runs.runAndWait(date, Duration.ofMinutes(5));
        assertThat(night.getStatus()).as("night of %s: %s", date, night.getExitStatus()).isEqualTo(BatchStatus.COMPLETED);
    }

    /** Each table's partition of the night against what PostgreSQL holds of it, right after the night. */
    private void assertClickHouseEqualsPostgres(LocalDate date) {
        String night = "business_date = toDate('" + date + "')";
        assertThat(one("SELECT count() AS n, sum(amount_kopecks) AS a, sum(points_pending) AS p, sum(points_active) AS q "
                + "FROM analytics_events WHERE " + night)).as("events of %s", date).isEqualTo(jdbc.queryForObject("""
                SELECT (SELECT count(*) FROM warehouse.purchase_event WHERE business_date = ?)
                       + (SELECT count(*) FROM core.points_ledger WHERE business_date = ?)
                       || ',' || (SELECT coalesce(sum(amount_kopecks), 0) FROM warehouse.purchase_event WHERE business_date = ?)
                       || ',' || (SELECT coalesce(sum(pending_delta), 0) || ',' || coalesce(sum(active_delta), 0)
                                    FROM core.points_ledger WHERE business_date = ?)""", String.class, date, date, date, date));
        assertThat(one("SELECT sum(toUInt32(occurred_at)) AS s FROM analytics_events WHERE " + night))
                .as("the events' times, to the second (a sale's instant; a ledger entry's local midnight of its day)")
                .isEqualTo(jdbc.queryForObject("""
                        SELECT (SELECT coalesce(sum(floor(extract(epoch FROM occurred_at))), 0) FROM warehouse.purchase_event
                                 WHERE business_date = ?)
                               + (SELECT coalesce(sum(extract(epoch FROM l.effective_on::timestamp AT TIME ZONE coalesce(c.zone, 'UTC'))), 0)
                                    FROM core.points_ledger l LEFT JOIN ops.partner_connection c ON c.id = l.connection_id
                                   WHERE l.business_date = ?)""", Long.class, date, date).toString());
        assertThat(one("SELECT count() AS total_rows, sum(monetary_kopecks) AS total_monetary, sum(r + f + m) AS total_scores FROM rfm_segments WHERE " + night))
                .as("RFM of %s", date).isEqualTo(jdbc.queryForObject("""
                        SELECT count(*) || ',' || coalesce(sum(monetary_kopecks), 0) || ',' || coalesce(sum(r + f + m), 0)
                          FROM core.rfm WHERE business_date = ?""", String.class, date));
        assertThat(count("SELECT concat(scope, '/', segment) AS name, sum(customer_count) AS n FROM segment_counts WHERE " + night
                + " GROUP BY name ORDER BY name")).as("segment counts of %s", date).isEqualTo(String.join(",", jdbc.queryForList("""
                        SELECT scope || '/' || segment || '=' || count(*) FROM core.rfm WHERE business_date = ?
                         GROUP BY scope, segment ORDER BY convert_to(scope || '/' || segment, 'UTF8')""", String.class, date)));
        assertThat(one("SELECT count() AS n, sum(ifNull(expected_value_12m_kopecks, 0)) AS v FROM churn_predictions WHERE " + night))
                .as("churn scores of %s", date).isEqualTo(jdbc.queryForObject("""
                        SELECT count(*) || ',' || coalesce(sum(expected_value_12m_kopecks), 0) FROM core.churn_score
                         WHERE business_date = ?""", String.class, date));
        assertThat(count("SELECT kind AS name, count() AS n FROM nightly_runs WHERE " + night + " GROUP BY name ORDER BY name"))
                .as("the night's steps before the export, and its models").isEqualTo("step=7,model=" + jdbc.queryForObject(
                        "SELECT count(*) FROM core.churn_model WHERE business_date = ?", Long.class, date));
    }

    private long eventCount(LocalDate date) {
        return warehouse.query("SELECT count() AS n FROM analytics_events WHERE business_date = toDate('" + date + "')")
                .get(0).path("n").asLong();
    }

    /** The row's values joined by commas. */
    private String one(String select) {
        JsonNode row = warehouse.query(select).get(0);
        StringBuilder values = new StringBuilder();
        row.properties().forEach(field -> values.append(values.isEmpty() ? "" : ",").append(field.getValue().asString()));
        return values.toString();
    }

    /** Rows of (name, n) as name=n joined by commas. */
    private String count(String select) {
        StringBuilder values = new StringBuilder();
        for (JsonNode row : warehouse.query(select)) {
            values.append(values.isEmpty() ? "" : ",").append(row.path("name").asString()).append('=').append(row.path("n").asLong());
        }
        return values.toString();
    }
}
