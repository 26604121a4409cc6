-- Step 2a: staged sales, with their customer resolved and their local purchase day, as core.purchase.
-- A sale only a completed one earns; refunds come from negative payments that name the sale.
-- Only what changed is read: sales and payments written since this step's mark, sales of customer keys
-- the customers step moved, and purchases still under a customer that has since been merged. Every
-- staged sale becomes a purchase whatever its day; the steps after this one take the days up to the
-- business date. Parameters: :business_date; :read_from, this step's mark; :customers_mark, the
-- customers step's, which becomes this step's next mark (a sale whose customer the customers step has
-- not seen yet is read again next night).

-- Sales to read besides the changed ones (few): those with a changed refund, those of a customer key the
-- customers step moved, and purchases still under a customer that has since been merged.
CREATE TEMP TABLE night_also ON COMMIT DROP AS
SELECT connection_id, sale_source_id AS source_id
  FROM staging.payment
 WHERE changed_xid >= CAST(:read_from AS xid8) AND sale_source_id IS NOT NULL
UNION
SELECT s.connection_id, s.source_id
  FROM core.customer_link l
  JOIN staging.sale s
    ON s.connection_id = l.connection_id AND coalesce(s.customer_source_id, 'phone:' || s.phone_key) = l.customer_key
 WHERE l.relinked_xid >= CAST(:read_from AS xid8)
UNION
SELECT p.connection_id, p.source_id
  FROM core.customer c
  JOIN core.purchase p ON p.customer_id = c.id
 WHERE c.merged_into IS NOT NULL;

-- Each customer key's customer as of tonight (the survivor of a merge). Joined to the sales as one
-- table: with the link and the customer tables joined to the sales one after the other, PostgreSQL
-- guessed a tenth of the sales would match and hashed ten million joined sales (on a first night).
CREATE TEMP TABLE night_link ON COMMIT DROP AS
SELECT l.connection_id, l.customer_key, coalesce(c.merged_into, c.id) AS customer_id
  FROM core.customer_link l
  JOIN core.customer c ON c.id = l.customer_id;

ANALYZE night_link;

-- Tonight's purchases as they should be, from the changed sales and those named above, and whether
-- core has them already (asked here, while core.purchase's key can answer).
CREATE TEMP TABLE night_purchase ON COMMIT DROP AS
SELECT s.connection_id, s.source_id, l.customer_id, s.occurred_at,
       (s.occurred_at AT TIME ZONE s.zone)::date AS purchase_day, s.amount_kopecks,
       least(s.amount_kopecks, coalesce(r.refunded, 0)) AS refunded_kopecks,
       s.status = 'COMPLETED' AND s.kind = 'SALE' AS completed,
       known.source_id IS NOT NULL AS known
  FROM (SELECT connection_id, source_id, kind, status, customer_source_id, phone_key, occurred_at, zone, amount_kopecks
          FROM staging.sale
         WHERE changed_xid >= CAST(:read_from AS xid8)
        UNION ALL
        SELECT s.connection_id, s.source_id, s.kind, s.status, s.customer_source_id, s.phone_key, s.occurred_at, s.zone,
               s.amount_kopecks
          FROM night_also a
          JOIN staging.sale s ON s.connection_id = a.connection_id AND s.source_id = a.source_id
         WHERE s.changed_xid < CAST(:read_from AS xid8)) s
  JOIN night_link l
    ON l.connection_id = s.connection_id AND l.customer_key = coalesce(s.customer_source_id, 'phone:' || s.phone_key)
  LEFT JOIN (
      SELECT connection_id, sale_source_id, -sum(amount_kopecks) AS refunded
        FROM staging.payment
       WHERE amount_kopecks < 0 AND NOT deleted AND sale_source_id IS NOT NULL
       GROUP BY connection_id, sale_source_id
  ) r ON r.connection_id = s.connection_id AND r.sale_source_id = s.source_id
  -- (a join, not EXISTS: on a first night the empty table's subplan was started anew for each of ten
  -- million sales, half of this statement's time; the key makes it one row at most)
  LEFT JOIN core.purchase known ON known.connection_id = s.connection_id AND known.source_id = s.source_id;

ANALYZE night_purchase;

-- The activity step recomputes the customers of the changed purchases: who they belonged to before
-- tonight (here) and who they belong to now (below). A first night recomputes everyone.
INSERT INTO core.activity_todo (customer_id)
SELECT DISTINCT p.customer_id
  FROM night_purchase n
  JOIN core.purchase p ON p.connection_id = n.connection_id AND p.source_id = n.source_id
 WHERE n.known
   AND (p.customer_id <> n.customer_id OR (p.occurred_at, p.amount_kopecks, p.refunded_kopecks, p.completed)
                                          IS DISTINCT FROM (n.occurred_at, n.amount_kopecks, n.refunded_kopecks, n.completed))
ON CONFLICT DO NOTHING;

UPDATE core.purchase p
   SET customer_id = n.customer_id, occurred_at = n.occurred_at, purchase_day = n.purchase_day,
       amount_kopecks = n.amount_kopecks, refunded_kopecks = n.refunded_kopecks, completed = n.completed
  FROM night_purchase n
 WHERE n.known AND p.connection_id = n.connection_id AND p.source_id = n.source_id
   AND (p.customer_id, p.occurred_at, p.amount_kopecks, p.refunded_kopecks, p.completed)
       IS DISTINCT FROM (n.customer_id, n.occurred_at, n.amount_kopecks, n.refunded_kopecks, n.completed);

SELECT core.suspend_indexes_if_empty('core.purchase');

INSERT INTO core.purchase (connection_id, source_id, customer_id, occurred_at, purchase_day, amount_kopecks,
                           refunded_kopecks, completed)
SELECT n.connection_id, n.source_id, n.customer_id, n.occurred_at, n.purchase_day, n.amount_kopecks, n.refunded_kopecks,
       n.completed
  FROM night_purchase n
 WHERE NOT n.known;

SELECT core.restore_indexes();

-- (a first night of the points step reads every purchase, but earns only up to its date: the purchases
-- dated after it wait here for the night of their day)
INSERT INTO core.points_todo (connection_id, source_id)
SELECT connection_id, source_id
  FROM night_purchase
 WHERE EXISTS (SELECT 1 FROM core.points_lot) OR purchase_day > CAST(:business_date AS date)
ON CONFLICT DO NOTHING;

-- (a new purchase dated after the activity step's last night is not listed: that step adds the days
-- that come into its reach to what it keeps)
INSERT INTO core.activity_todo (customer_id)
SELECT DISTINCT n.customer_id
  FROM night_purchase n
 WHERE EXISTS (SELECT 1 FROM core.customer_activity)
   AND (n.known OR n.purchase_day <= (SELECT business_date FROM core.night_mark WHERE step = 'activity'))
ON CONFLICT DO NOTHING;

-- The warehouse export compares these with what it exported (once it has exported: its first export takes
-- every purchase)
INSERT INTO core.export_todo (source_id, connection_id)
SELECT source_id, connection_id
  FROM night_purchase
 WHERE EXISTS (SELECT 1 FROM warehouse.purchase_exported)
ON CONFLICT DO NOTHING;

INSERT INTO core.night_mark (step, read_from, business_date)
VALUES ('purchases', CAST(:customers_mark AS xid8), CAST(:business_date AS date))
ON CONFLICT (step) DO UPDATE SET read_from = EXCLUDED.read_from, business_date = EXCLUDED.business_date, marked_at = now();
