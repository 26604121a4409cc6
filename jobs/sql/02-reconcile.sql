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

-- Days with a staged row the purchases step may not have read (written at or after its mark): found
-- through the indexes on the writing transaction, so they are few and cheap to find.
CREATE TEMP TABLE night_reconcile_late ON COMMIT DROP AS
SELECT connection_id, (occurred_at AT TIME ZONE zone)::date AS day
  FROM staging.sale
 WHERE changed_xid >= CAST(:purchases_mark AS xid8)
UNION
SELECT s.connection_id, (s.occurred_at AT TIME ZONE s.zone)::date
  FROM staging.payment p
  JOIN staging.sale s ON s.connection_id = p.connection_id AND s.source_id = p.sale_source_id
 WHERE p.changed_xid >= CAST(:purchases_mark AS xid8) AND p.sale_source_id IS NOT NULL;

-- Staging's side per connection and day. A first night, in two passes that join nothing big: what the
-- counted sales came to (one scan of the staged sales, with parallel workers, as a CREATE TABLE AS may),
-- less what was refunded of them (the refunds grouped by sale, each sale found by its key): a join of
-- every staged sale to its refunds took 40 s at ten million sales. A next night: the sales of the days
-- above, each day a range of the index on the time of sale, each sale's refunds through the index of
-- payments by sale.
CREATE TEMP TABLE night_reconcile_staged ON COMMIT DROP AS
SELECT connection_id, (occurred_at AT TIME ZONE zone)::date AS day,
       coalesce(sum(amount_kopecks) FILTER (WHERE status = 'COMPLETED' AND kind = 'SALE'
                                          AND (customer_source_id IS NOT NULL OR phone_key IS NOT NULL)), 0)::bigint AS kopecks
  FROM staging.sale
 WHERE CAST(:read_from AS xid8) = '0'
 GROUP BY 1, 2;

INSERT INTO night_reconcile_staged (connection_id, day, kopecks)
SELECT s.connection_id, (s.occurred_at AT TIME ZONE s.zone)::date, -sum(least(s.amount_kopecks, r.refunded))::bigint
  FROM (SELECT connection_id, sale_source_id, -sum(amount_kopecks) AS refunded
          FROM staging.payment
         WHERE CAST(:read_from AS xid8) = '0' AND sale_source_id IS NOT NULL AND amount_kopecks < 0 AND NOT deleted
         GROUP BY connection_id, sale_source_id) r
  -- (each refunded sale looked up by its key: OFFSET 0 keeps PostgreSQL from hashing every staged sale
  -- for the few refunded ones, 6.5 s at ten million)
 CROSS JOIN LATERAL (SELECT s.connection_id, s.occurred_at, s.zone, s.amount_kopecks
                       FROM staging.sale s
                      WHERE s.connection_id = r.connection_id AND s.source_id = r.sale_source_id
                        AND s.status = 'COMPLETED' AND s.kind = 'SALE'
                        AND (s.customer_source_id IS NOT NULL OR s.phone_key IS NOT NULL)
                     OFFSET 0) s
 GROUP BY 1, 2;

INSERT INTO night_reconcile_staged (connection_id, day, kopecks)
SELECT d.connection_id, d.day,
       coalesce(sum(s.amount_kopecks - least(s.amount_kopecks, coalesce(r.refunded, 0)))
                    FILTER (WHERE s.status = 'COMPLETED' AND s.kind = 'SALE'
                              AND (s.customer_source_id IS NOT NULL OR s.phone_key IS NOT NULL)), 0)::bigint
  FROM (SELECT DISTINCT zone, day FROM night_reconcile_day) w
  -- (each day's range read once for all connections: per connection it was read once per connection)
  JOIN staging.sale s
    ON s.zone = w.zone
   AND s.occurred_at >= w.day::timestamp AT TIME ZONE w.zone
   AND s.occurred_at < (w.day + 1)::timestamp AT TIME ZONE w.zone
  JOIN night_reconcile_day d ON d.connection_id = s.connection_id AND d.zone = s.zone AND d.day = w.day
  LEFT JOIN LATERAL (
      SELECT -sum(p.amount_kopecks) AS refunded
        FROM staging.payment p
       WHERE p.connection_id = s.connection_id AND p.sale_source_id = s.source_id AND p.amount_kopecks < 0 AND NOT p.deleted) r ON true
 WHERE CAST(:read_from AS xid8) <> '0'
 GROUP BY d.connection_id, d.day;

CREATE TEMP TABLE night_reconciled ON COMMIT DROP AS
SELECT coalesce(s.connection_id, c.connection_id) AS connection_id, coalesce(s.day, c.day) AS day,
       coalesce(s.kopecks, 0) AS staged_kopecks, coalesce(c.kopecks, 0) AS core_kopecks,
       EXISTS (SELECT 1 FROM night_reconcile_late l
                WHERE l.connection_id = coalesce(s.connection_id, c.connection_id) AND l.day = coalesce(s.day, c.day)) AS deferred
  FROM (-- (sales less refunds on a first night; a connection whose sales carry two zones, a row per zone)
        SELECT connection_id, day, sum(kopecks) AS kopecks FROM night_reconcile_staged GROUP BY connection_id, day) s
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
