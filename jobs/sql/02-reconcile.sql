-- Step 2c: the purchases step's reconciliation. Per connection and local day of sale: the completed sales
-- of staging less their refunds (negative, not deleted payments naming the sale, capped at the sale's
-- amount) must equal core's completed purchases less their refunded kopecks. Only sales that name a
-- customer (a client id or a phone) count: a sale of nobody cannot be anybody's purchase.
--
-- Which days: on this step's first night every day; after that the days of the sales and refunds staged
-- since this step's mark (:read_from), so a next night compares a few days, never the history. A day
-- with a staged row the purchases step may not have read yet (written at or after its mark,
-- :purchases_mark) is left for the next night, which reads from that mark. The result is the table
-- night_reconciled, one row a compared or deferred day; the step's Java reports and judges it.

CREATE TEMP TABLE night_reconcile_day ON COMMIT DROP AS
SELECT DISTINCT connection_id, zone, (occurred_at AT TIME ZONE zone)::date AS day
  FROM (SELECT connection_id, zone, occurred_at
          FROM staging.sale
         WHERE CAST(:read_from AS xid8) <> '0' AND changed_xid >= CAST(:read_from AS xid8)
        UNION ALL
        SELECT s.connection_id, s.zone, s.occurred_at
          FROM staging.payment p
          JOIN staging.sale s ON s.connection_id = p.connection_id AND s.source_id = p.sale_source_id
         WHERE CAST(:read_from AS xid8) <> '0' AND p.changed_xid >= CAST(:read_from AS xid8)
           AND p.sale_source_id IS NOT NULL) changed;

ANALYZE night_reconcile_day;

-- Staging's side per connection and day, with the newest transaction that wrote any of its rows. A first
-- night: every staged sale in one pass (hashed refunds joined; with parallel workers, as a CREATE TABLE
-- AS may). A next night: the sales of the days above, each day a range of the index on the time of sale,
-- and each sale's refunds through the index of payments by sale.
CREATE TEMP TABLE night_reconcile_staged ON COMMIT DROP AS
SELECT s.connection_id, (s.occurred_at AT TIME ZONE s.zone)::date AS day,
       coalesce(sum(s.amount_kopecks - least(s.amount_kopecks, coalesce(r.refunded, 0)))
                    FILTER (WHERE s.status = 'COMPLETED' AND s.kind = 'SALE'
                              AND (s.customer_source_id IS NOT NULL OR s.phone_e164 IS NOT NULL)), 0)::bigint AS kopecks,
       max(greatest(s.changed_xid, coalesce(r.changed_xid, s.changed_xid))) AS newest
  FROM staging.sale s
  LEFT JOIN (SELECT connection_id, sale_source_id,
                    coalesce(-sum(amount_kopecks) FILTER (WHERE amount_kopecks < 0 AND NOT deleted), 0) AS refunded,
                    max(changed_xid) AS changed_xid
               FROM staging.payment
              WHERE sale_source_id IS NOT NULL
              GROUP BY connection_id, sale_source_id) r
         ON r.connection_id = s.connection_id AND r.sale_source_id = s.source_id
 WHERE CAST(:read_from AS xid8) = '0'
 GROUP BY 1, 2;

INSERT INTO night_reconcile_staged (connection_id, day, kopecks, newest)
SELECT d.connection_id, d.day,
       coalesce(sum(s.amount_kopecks - least(s.amount_kopecks, coalesce(r.refunded, 0)))
                    FILTER (WHERE s.status = 'COMPLETED' AND s.kind = 'SALE'
                              AND (s.customer_source_id IS NOT NULL OR s.phone_e164 IS NOT NULL)), 0)::bigint,
       max(greatest(s.changed_xid, coalesce(r.changed_xid, s.changed_xid)))
  FROM night_reconcile_day d
  JOIN staging.sale s
    ON s.connection_id = d.connection_id AND s.zone = d.zone
   AND s.occurred_at >= d.day::timestamp AT TIME ZONE d.zone
   AND s.occurred_at < (d.day + 1)::timestamp AT TIME ZONE d.zone
  LEFT JOIN LATERAL (
      SELECT coalesce(-sum(p.amount_kopecks) FILTER (WHERE p.amount_kopecks < 0 AND NOT p.deleted), 0) AS refunded,
             max(p.changed_xid) AS changed_xid
        FROM staging.payment p
       WHERE p.connection_id = s.connection_id AND p.sale_source_id = s.source_id) r ON true
 WHERE CAST(:read_from AS xid8) <> '0'
 GROUP BY d.connection_id, d.day;

CREATE TEMP TABLE night_reconciled ON COMMIT DROP AS
SELECT coalesce(s.connection_id, c.connection_id) AS connection_id, coalesce(s.day, c.day) AS day,
       coalesce(s.kopecks, 0) AS staged_kopecks, coalesce(c.kopecks, 0) AS core_kopecks,
       coalesce(s.newest >= CAST(:purchases_mark AS xid8), false) AS deferred
  FROM (-- (a connection whose sales carry two zones has a row per zone and day above)
        SELECT connection_id, day, sum(kopecks) AS kopecks, max(newest) AS newest
          FROM night_reconcile_staged GROUP BY connection_id, day) s
  FULL JOIN (
      SELECT p.connection_id, p.purchase_day AS day,
             coalesce(sum(p.amount_kopecks - p.refunded_kopecks) FILTER (WHERE p.completed), 0)::bigint AS kopecks
        FROM core.purchase p
       WHERE CAST(:read_from AS xid8) = '0'
       GROUP BY p.connection_id, p.purchase_day
      UNION ALL
      SELECT p.connection_id, p.purchase_day,
             coalesce(sum(p.amount_kopecks - p.refunded_kopecks) FILTER (WHERE p.completed), 0)::bigint
        FROM (SELECT DISTINCT connection_id, day FROM night_reconcile_day) d
        JOIN core.purchase p ON p.purchase_day = d.day AND p.connection_id = d.connection_id
       WHERE CAST(:read_from AS xid8) <> '0'
       GROUP BY p.connection_id, p.purchase_day
  ) c ON c.connection_id = s.connection_id AND c.day = s.day;

INSERT INTO core.night_mark (step, read_from, business_date)
VALUES ('reconcile', CAST(:purchases_mark AS xid8), CAST(:business_date AS date))
ON CONFLICT (step) DO UPDATE SET read_from = EXCLUDED.read_from, business_date = EXCLUDED.business_date, marked_at = now();
