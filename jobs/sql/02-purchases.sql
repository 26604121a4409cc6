-- Step 2a: staged sales, with their customer resolved and their local purchase day, as core.purchase.
-- A sale only a completed one earns; refunds come from negative payments that name the sale.
-- Only what changed is read: sales and payments written since this step's mark, sales of customer keys
-- the customers step moved, and purchases still under a customer that has since been merged. Every
-- staged sale becomes a purchase whatever its day; the steps after this one take the days up to the
-- business date. Parameters: :business_date.
CREATE TEMP TABLE night_read ON COMMIT DROP AS
SELECT coalesce((SELECT read_from FROM core.night_mark WHERE step = 'purchases'), '0'::xid8) AS read_from,
       -- a sale whose customer the customers step has not seen yet is read again next night
       coalesce((SELECT read_from FROM core.night_mark WHERE step = 'customers'), '0'::xid8) AS read_until;

CREATE TEMP TABLE night_sale ON COMMIT DROP AS
SELECT connection_id, source_id
  FROM staging.sale
 WHERE changed_xid >= (SELECT read_from FROM night_read)
UNION
SELECT connection_id, sale_source_id
  FROM staging.payment
 WHERE changed_xid >= (SELECT read_from FROM night_read) AND sale_source_id IS NOT NULL
UNION
SELECT s.connection_id, s.source_id
  FROM core.customer_link l
  JOIN staging.sale s
    ON s.connection_id = l.connection_id AND coalesce(s.customer_source_id, 'phone:' || s.phone_e164) = l.customer_key
 WHERE l.relinked_xid >= (SELECT read_from FROM night_read)
UNION
SELECT p.connection_id, p.source_id
  FROM core.customer c
  JOIN core.purchase p ON p.customer_id = c.id
 WHERE c.merged_into IS NOT NULL;

ANALYZE night_sale;

INSERT INTO core.purchase AS p (connection_id, source_id, customer_id, occurred_at, purchase_day, amount_kopecks,
                                refunded_kopecks, completed)
SELECT s.connection_id, s.source_id, coalesce(c.merged_into, c.id), s.occurred_at,
       (s.occurred_at AT TIME ZONE s.zone)::date, s.amount_kopecks,
       least(s.amount_kopecks, coalesce(r.refunded, 0)),
       s.status = 'COMPLETED' AND s.kind = 'SALE'
  FROM night_sale n
  JOIN staging.sale s ON s.connection_id = n.connection_id AND s.source_id = n.source_id
  JOIN core.customer_link l
    ON l.connection_id = s.connection_id AND l.customer_key = coalesce(s.customer_source_id, 'phone:' || s.phone_e164)
  JOIN core.customer c ON c.id = l.customer_id
  LEFT JOIN (
      SELECT y.connection_id, y.sale_source_id, -sum(y.amount_kopecks) AS refunded
        FROM staging.payment y
        JOIN night_sale n ON n.connection_id = y.connection_id AND n.source_id = y.sale_source_id
       WHERE y.amount_kopecks < 0 AND NOT y.deleted
       GROUP BY y.connection_id, y.sale_source_id
  ) r ON r.connection_id = s.connection_id AND r.sale_source_id = s.source_id
ON CONFLICT (connection_id, source_id) DO UPDATE
   SET customer_id = EXCLUDED.customer_id, occurred_at = EXCLUDED.occurred_at, purchase_day = EXCLUDED.purchase_day,
       amount_kopecks = EXCLUDED.amount_kopecks, refunded_kopecks = EXCLUDED.refunded_kopecks, completed = EXCLUDED.completed
 WHERE (p.customer_id, p.occurred_at, p.amount_kopecks, p.refunded_kopecks, p.completed)
       IS DISTINCT FROM (EXCLUDED.customer_id, EXCLUDED.occurred_at, EXCLUDED.amount_kopecks, EXCLUDED.refunded_kopecks,
                         EXCLUDED.completed);

INSERT INTO core.night_mark (step, read_from, business_date)
SELECT 'purchases', read_until, CAST(:business_date AS date) FROM night_read
ON CONFLICT (step) DO UPDATE SET read_from = EXCLUDED.read_from, business_date = EXCLUDED.business_date, marked_at = now();
