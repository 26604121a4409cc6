package ru.svoykrug.hub.loyalty;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;

/**
 * Points within minutes: the pending points of the sales a sync (or a file import) changed, by the
 * night's rules, in {@code core.points_daytime} (V27), so a customer sees them before the night. Only
 * what changed since the connection's last pass is read (staging's {@code changed_xid}, as the night
 * reads it). Sales the night has already posted (they have a lot) and customers the night has not met
 * yet are left to the night; the tier is the one of the last night. The night stays the authority: it
 * never reads this table, and its points step drops the rows of the days it covered.
 */
@Component
public class DaytimePoints {

    private static final Logger log = LoggerFactory.getLogger(DaytimePoints.class);

    private final JdbcTemplate jdbc;
    private final PointsPosting posting;
    private final TransactionTemplate transaction;

    DaytimePoints(JdbcTemplate jdbc, PointsPosting posting, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.posting = posting;
        this.transaction = transaction;
    }

    /** Posts the daytime points of what changed at the connection since its last pass; returns how many sales were (re)computed. */
    public int post(String connectionId) {
        Integer done = transaction.execute(status -> {
            // shared with redemptions, exclusive with the night's points step: never half a night's lots
            jdbc.queryForObject("SELECT pg_advisory_xact_lock_shared(hashtext('hub-points'))::text", String.class);
            Map<String, Object> rules = posting.prepare();
            String next = jdbc.queryForObject("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", String.class);
            String from = readFrom(connectionId);
            Integer n = jdbc.queryForObject(UPSERT, Integer.class, connectionId, from, connectionId, from, connectionId,
                    rules.get("default_percent"));
            jdbc.update("""
                    INSERT INTO core.points_daytime_mark (connection_id, read_from) VALUES (?, CAST(? AS xid8))
                    ON CONFLICT (connection_id) DO UPDATE SET read_from = EXCLUDED.read_from, marked_at = now()""",
                    connectionId, next);
            return n;
        });
        int n = done == null ? 0 : done;
        if (n > 0) {
            log.info("Connection {}: daytime points of {} changed sale(s) posted", connectionId, n);
        }
        return n;
    }

    /** The connection's mark, else the night's purchases mark (what changed since the last night), else everything. */
    private String readFrom(String connectionId) {
        List<String> own = jdbc.queryForList("SELECT read_from::text FROM core.points_daytime_mark WHERE connection_id = ?",
                String.class, connectionId);
        if (!own.isEmpty()) {
            return own.get(0);
        }
        List<String> night = jdbc.queryForList("SELECT read_from::text FROM core.night_mark WHERE step = 'purchases'", String.class);
        return night.isEmpty() ? "0" : night.get(0);
    }

    // The night's earn rule (03-points.sql): floor(amount * rate * tier multiplier / 10000), less the refunded
    // share; a void, a no-show or a refund record earns nothing. Temp tables night_rate and night_tier come
    // from PointsPosting.prepare(), as for the night. The customers whose pending points it changed (a sale may
    // have moved to another) no longer have a kept answer of the customer API (V36).
    private static final String UPSERT = """
            WITH changed AS (
                SELECT source_id FROM staging.sale WHERE connection_id = ? AND changed_xid >= CAST(? AS xid8)
                UNION
                SELECT sale_source_id FROM staging.payment
                 WHERE connection_id = ? AND changed_xid >= CAST(? AS xid8) AND sale_source_id IS NOT NULL
            ), figures AS (
                SELECT s.connection_id, s.source_id, coalesce(c.merged_into, c.id) AS customer_id,
                       (s.occurred_at AT TIME ZONE s.zone)::date AS purchase_day, s.amount_kopecks,
                       least(s.amount_kopecks, coalesce(r.refunded, 0)) AS refunded,
                       s.status = 'COMPLETED' AND s.kind = 'SALE' AS completed
                  FROM changed ch
                  JOIN staging.sale s ON s.connection_id = ? AND s.source_id = ch.source_id
                  JOIN core.customer_link l
                    ON l.connection_id = s.connection_id AND l.customer_key = coalesce(s.customer_source_id, 'phone:' || s.phone_key)
                  JOIN core.customer c ON c.id = l.customer_id
                  LEFT JOIN LATERAL (SELECT -sum(p.amount_kopecks) AS refunded FROM staging.payment p
                                      WHERE p.connection_id = s.connection_id AND p.sale_source_id = s.source_id
                                        AND p.amount_kopecks < 0 AND NOT p.deleted) r ON true
                 WHERE NOT EXISTS (SELECT 1 FROM core.points_lot lot
                                    WHERE lot.connection_id = s.connection_id AND lot.source_id = s.source_id)
            ), earned AS (
                SELECT f.*, t.tier,
                       floor(f.amount_kopecks * coalesce(rate.percent, CAST(? AS numeric)) * t.multiplier / 10000)::bigint AS points
                  FROM figures f
                  LEFT JOIN core.customer_tier ct ON ct.customer_id = f.customer_id
                  JOIN night_tier t
                    ON t.tier = coalesce(ct.tier, (SELECT tier FROM night_tier ORDER BY min_spend_kopecks LIMIT 1))
                  LEFT JOIN night_rate rate ON rate.connection_id = f.connection_id
            ), earlier AS (
                SELECT d.customer_id FROM earned e
                  JOIN core.points_daytime d ON d.connection_id = e.connection_id AND d.source_id = e.source_id
            ), posted AS (
                INSERT INTO core.points_daytime AS d (connection_id, source_id, customer_id, purchase_day, pending, tier)
                SELECT connection_id, source_id, customer_id, purchase_day,
                       CASE WHEN NOT completed OR amount_kopecks <= 0 THEN 0
                            ELSE points - floor(points::numeric * refunded / amount_kopecks)::bigint END,
                       tier
                  FROM earned
                ON CONFLICT (connection_id, source_id) DO UPDATE
                   SET customer_id = EXCLUDED.customer_id, purchase_day = EXCLUDED.purchase_day, pending = EXCLUDED.pending,
                       tier = EXCLUDED.tier, computed_at = now()
                RETURNING d.customer_id
            ), changed_customers AS (
                SELECT core.customers_changed(ARRAY(SELECT customer_id FROM posted UNION SELECT customer_id FROM earlier))
            )
            SELECT count(*)::integer FROM posted, changed_customers""";
}
