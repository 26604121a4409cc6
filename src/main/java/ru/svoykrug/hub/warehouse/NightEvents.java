package ru.svoykrug.hub.warehouse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.Map;

/**
 * What a night changed in the purchases, as events, in PostgreSQL (V18), inside the export's transaction:
 * the purchases that differ from what was exported (new, refunded, voided, moved) become sale, refund and
 * void events of the night. A night exported again finds nothing new and sends what it found the first
 * time; a crash rolls this back with the rest of the step, and its restart finds the same again. The first
 * export, with nothing exported yet, skips the comparison: every purchase is new. The next ones compare only
 * the purchases that can differ (V35): listed by the purchases step as it changed them, come into reach
 * since the latest night exported, or of customers no longer left out for want of consent. (The
 * points ledger needs no such record: its entries name the night that posted them.)
 */
@Component
class NightEvents {

    // The purchases that can differ from what was exported (V35): changed since, come into reach, or of a
    // customer no longer left out. (UNION: a purchase may be all three. Each part an index range or look-ups:
    // joined to the one-row state and the list of who was left out, never analysed, PostgreSQL expected
    // half a billion rows.)
    private static final String CANDIDATES = """
            CREATE TEMP TABLE export_candidate ON COMMIT DROP AS
            SELECT t.connection_id, t.source_id FROM core.export_todo t
            UNION
            SELECT p.connection_id, p.source_id
              FROM core.purchase p
             WHERE p.purchase_day > (SELECT latest_night FROM warehouse.export_state)
               AND p.purchase_day <= CAST(:business_date AS date)
            UNION
            SELECT p.connection_id, p.source_id
              FROM core.purchase p
             WHERE p.customer_id = ANY (ARRAY(SELECT w.customer_id FROM warehouse.excluded_at_export w
                                               WHERE NOT EXISTS (SELECT 1 FROM export_excluded x WHERE x.customer_id = w.customer_id)))""";

    private static final String EVERY_PURCHASE = "core.purchase p";

    private static final String JOINS_BY_HASH_AND_MERGE = """
            SELECT set_config('enable_hashjoin', ?, true), set_config('enable_mergejoin', ?, true)""";

    private static final String CANDIDATE_PURCHASES = """
            export_candidate c
              JOIN core.purchase p ON p.connection_id = c.connection_id AND p.source_id = c.source_id""";

    private static final String CHANGED_PURCHASES = """
            CREATE TEMP TABLE export_change ON COMMIT DROP AS
            SELECT p.connection_id, p.source_id, p.customer_id, p.occurred_at, p.purchase_day, p.amount_kopecks,
                   p.refunded_kopecks, p.completed, e.connection_id IS NOT NULL AS known,
                   e.connection_id IS NOT NULL
                       AND (e.customer_id, e.amount_kopecks, e.completed) IS DISTINCT FROM (p.customer_id, p.amount_kopecks, p.completed)
                       AS restated,
                   e.customer_id AS was_customer_id, e.amount_kopecks AS was_amount, e.refunded_kopecks AS was_refunded,
                   e.completed AS was_completed
              FROM %s
              LEFT JOIN warehouse.purchase_exported e ON e.connection_id = p.connection_id AND e.source_id = p.source_id
             WHERE p.purchase_day <= CAST(:business_date AS date)
               AND (e.connection_id IS NULL
                    OR (e.customer_id, e.amount_kopecks, e.refunded_kopecks, e.completed)
                       IS DISTINCT FROM (p.customer_id, p.amount_kopecks, p.refunded_kopecks, p.completed))
               AND NOT EXISTS (SELECT 1 FROM export_excluded x WHERE x.customer_id = p.customer_id)""";

    // A sale's refund known at its first export is dated on the sale's day (history arrives whole); a
    // refund or void seen later, on the night that saw it.
    private static final String EVENTS = """
            INSERT INTO warehouse.purchase_event (business_date, event_type, connection_id, source_id, customer_id, event_day,
                                                  occurred_at, amount_kopecks)
            SELECT CAST(:business_date AS date), 'void', connection_id, source_id, was_customer_id, CAST(:business_date AS date), occurred_at,
                   -(was_amount - was_refunded)
              FROM export_change WHERE restated AND was_completed
            UNION ALL
            SELECT CAST(:business_date AS date), 'sale', connection_id, source_id, customer_id, purchase_day, occurred_at, amount_kopecks
              FROM export_change WHERE completed AND (NOT known OR restated)
            UNION ALL
            SELECT CAST(:business_date AS date), 'refund', connection_id, source_id, customer_id,
                   CASE WHEN known THEN CAST(:business_date AS date) ELSE purchase_day END, occurred_at, -refunded_kopecks
              FROM export_change WHERE completed AND (NOT known OR restated) AND refunded_kopecks <> 0
            UNION ALL
            SELECT CAST(:business_date AS date), 'refund', connection_id, source_id, customer_id, CAST(:business_date AS date), occurred_at,
                   -(refunded_kopecks - was_refunded)
              FROM export_change WHERE known AND NOT restated AND completed AND refunded_kopecks <> was_refunded""";

    // Purchases first exported are inserted plainly (the comparison found none of them, in this transaction,
    // and exports run one at a time): no speculative insertion of ON CONFLICT for each of the first night's
    // million; the others are updated in place.
    private static final String FIRST_EXPORTED = """
            INSERT INTO warehouse.purchase_exported (connection_id, source_id, customer_id, amount_kopecks, refunded_kopecks, completed)
            SELECT connection_id, source_id, customer_id, amount_kopecks, refunded_kopecks, completed FROM export_change WHERE NOT known""";

    private static final String EXPORTED_AGAIN = """
            UPDATE warehouse.purchase_exported e
               SET customer_id = c.customer_id, amount_kopecks = c.amount_kopecks, refunded_kopecks = c.refunded_kopecks,
                   completed = c.completed
              FROM export_change c
             WHERE c.known AND e.connection_id = c.connection_id AND e.source_id = c.source_id""";

    // The first export (nothing exported yet): every purchase is new, so the comparison would find them all
    // and the events are the sales and the refunds known with them. Written straight from core.purchase into
    // the two tables emptied and stripped of their indexes (core.suspend_indexes_if_empty: no WAL for them,
    // no index kept up row by row; restore_indexes builds them once at the end) instead of through the
    // comparison's temporary table: the same rows (ten million purchases took 103 s through the comparison).
    private static final String NOTHING_EXPORTED_YET = "SELECT NOT EXISTS (SELECT 1 FROM warehouse.purchase_exported)";

    private static final String SUSPEND_INDEXES = """
            SELECT core.suspend_indexes_if_empty('warehouse.purchase_exported'),
                   core.suspend_indexes_if_empty('warehouse.purchase_event')""";

    private static final String FIRST_EVENTS = """
            INSERT INTO warehouse.purchase_event (business_date, event_type, connection_id, source_id, customer_id, event_day,
                                                  occurred_at, amount_kopecks)
            SELECT CAST(:business_date AS date), e.event_type, p.connection_id, p.source_id, p.customer_id, p.purchase_day, p.occurred_at,
                   CASE e.event_type WHEN 'sale' THEN p.amount_kopecks ELSE -p.refunded_kopecks END
              FROM core.purchase p
             CROSS JOIN (VALUES ('sale'), ('refund')) AS e (event_type)
             WHERE p.purchase_day <= CAST(:business_date AS date) AND p.completed
               AND (e.event_type = 'sale' OR p.refunded_kopecks <> 0)
               AND NOT EXISTS (SELECT 1 FROM export_excluded x WHERE x.customer_id = p.customer_id)""";

    private static final String ALL_EXPORTED = """
            INSERT INTO warehouse.purchase_exported (connection_id, source_id, customer_id, amount_kopecks, refunded_kopecks, completed)
            SELECT connection_id, source_id, customer_id, amount_kopecks, refunded_kopecks, completed
              FROM core.purchase p
             WHERE p.purchase_day <= CAST(:business_date AS date)
               AND NOT EXISTS (SELECT 1 FROM export_excluded x WHERE x.customer_id = p.customer_id)""";

    // What the next export starts from: the purchases dated after this night stay listed; the latest night
    // exported; who was left out.
    private static final String TODO_DONE = """
            DELETE FROM core.export_todo t
             WHERE NOT EXISTS (SELECT 1 FROM core.purchase p
                                WHERE p.connection_id = t.connection_id AND p.source_id = t.source_id
                                  AND p.purchase_day > CAST(:business_date AS date))""";

    private static final String STATE = """
            UPDATE warehouse.export_state
               SET latest_night = greatest(latest_night, CAST(:business_date AS date)), full_comparison = false""";

    // (a first export took every purchase up to its night and none after: a later night's export, if one ran before
    // the record of exports was lost, is no longer what the next one starts from)
    private static final String FIRST_STATE = """
            UPDATE warehouse.export_state SET latest_night = CAST(:business_date AS date), full_comparison = false""";

    private static final String LEFT_OUT = """
            INSERT INTO warehouse.excluded_at_export (customer_id)
            SELECT customer_id FROM export_excluded WHERE customer_id <> %d
            ON CONFLICT DO NOTHING""".formatted(ExcludedCustomers.NOBODY);

    private static final Logger log = LoggerFactory.getLogger(NightEvents.class);

    private final NamedParameterJdbcTemplate jdbc;

    NightEvents(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** True before the first export: every purchase is new. */
    private boolean nothingExportedYet() {
        return Boolean.TRUE.equals(jdbc.getJdbcOperations().queryForObject(NOTHING_EXPORTED_YET, Boolean.class));
    }

    /** Records the night's new events; returns how many purchases changed since the last export. */
    long record(LocalDate businessDate) {
        Map<String, Object> date = Map.of("business_date", businessDate);
        if (nothingExportedYet()) {
            long changed = recordFirst(date, businessDate);
            remember(businessDate, date, true);
            return changed;
        }
        long started = System.nanoTime();
        boolean everyPurchase = Boolean.TRUE.equals(jdbc.getJdbcOperations().queryForObject(
                "SELECT full_comparison OR latest_night IS NULL FROM warehouse.export_state", Boolean.class));
        if (everyPurchase) {
            jdbc.update(CHANGED_PURCHASES.formatted(EVERY_PURCHASE), date);
        } else {
            jdbc.update(CANDIDATES, date);
            jdbc.getJdbcOperations().execute("ANALYZE export_candidate");
            // a look-up by key per candidate: PostgreSQL, pricing each as a read from disk, hashed both tables of ten
            // million rows instead (8.7 s at 1M customers / 10M sales against a tenth of a million candidates)
            jdbc.getJdbcOperations().queryForList(JOINS_BY_HASH_AND_MERGE, "off", "off");
            jdbc.update(CHANGED_PURCHASES.formatted(CANDIDATE_PURCHASES), date);
            jdbc.getJdbcOperations().queryForList(JOINS_BY_HASH_AND_MERGE, "on", "on");
        }
        long changed = jdbc.getJdbcOperations().queryForObject("SELECT count(*) FROM export_change", Long.class);
        long compared = System.nanoTime();
        jdbc.update(EVENTS, date);
        long recorded = System.nanoTime();
        jdbc.update(FIRST_EXPORTED, date);
        jdbc.update(EXPORTED_AGAIN, date);
        remember(businessDate, date, false);
        log.info("Night of {}: {} compared in {} ms, events recorded in {} ms, purchases marked exported in {} ms",
                businessDate, everyPurchase ? "every purchase" : "the purchases that can differ", (compared - started) / 1_000_000, (recorded - compared) / 1_000_000, (System.nanoTime() - recorded) / 1_000_000);
        return changed;
    }

    private void remember(LocalDate businessDate, Map<String, Object> date, boolean first) {
        LocalDate latest = jdbc.getJdbcOperations().queryForObject("SELECT latest_night FROM warehouse.export_state", LocalDate.class);
        jdbc.update(TODO_DONE, date);
        // A night before the latest exported keeps on the list those it no longer leaves out: it compared their
        // purchases up to its date only, and the next night must compare the rest (their days are behind the latest)
        if (first || latest == null || !businessDate.isBefore(latest)) {
            jdbc.getJdbcOperations().execute("TRUNCATE warehouse.excluded_at_export");
        }
        jdbc.getJdbcOperations().update(LEFT_OUT);
        jdbc.update(first ? FIRST_STATE : STATE, date);
    }

    private long recordFirst(Map<String, Object> date, LocalDate businessDate) {
        long started = System.nanoTime();
        jdbc.getJdbcOperations().queryForList(SUSPEND_INDEXES);
        jdbc.update(FIRST_EVENTS, date);
        long recorded = System.nanoTime();
        long changed = jdbc.update(ALL_EXPORTED, date);
        long marked = System.nanoTime();
        jdbc.getJdbcOperations().queryForObject("SELECT core.restore_indexes()", Integer.class);
        log.info("Night of {}: first export, every purchase new: events recorded in {} ms, purchases marked exported in {} ms, "
                        + "indexes built in {} ms", businessDate, (recorded - started) / 1_000_000, (marked - recorded) / 1_000_000,
                (System.nanoTime() - marked) / 1_000_000);
        return changed;
    }
}
