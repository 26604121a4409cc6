-- Step 4: each customer's activity as of the business date (core.customer_activity), for the circle and
-- for each partner's own purchases. Recomputed only for the customers whose figures can have changed
-- since the last night: purchases the purchases step changed (core.activity_todo), purchase days that
-- came into the night's reach (after the last night's date, up to tonight's) and days that left the
-- trailing 365 days. A first night, or a night for a date before the last one, recomputes everyone.
-- Parameters: :business_date.
CREATE TEMP TABLE night_scope ON COMMIT DROP AS
SELECT last_date,
       last_date IS NULL OR last_date > CAST(:business_date AS date)
           OR NOT EXISTS (SELECT 1 FROM core.customer_activity) AS everyone
  FROM (SELECT (SELECT business_date FROM core.night_mark WHERE step = 'activity') AS last_date) m;

CREATE TEMP TABLE night_recompute ON COMMIT DROP AS
SELECT customer_id FROM core.activity_todo
UNION
SELECT p.customer_id
  FROM core.purchase p, night_scope s
 WHERE NOT s.everyone AND p.completed
   AND (p.purchase_day > s.last_date AND p.purchase_day <= CAST(:business_date AS date)
        OR p.purchase_day > s.last_date - 365 AND p.purchase_day <= CAST(:business_date AS date) - 365);

ANALYZE night_recompute;

DELETE FROM core.customer_activity a
 WHERE (SELECT everyone FROM night_scope)
    OR a.customer_id IN (SELECT customer_id FROM night_recompute);

INSERT INTO core.customer_activity (scope, customer_id, first_day, last_day, purchase_days, spend_kopecks, first_day_kopecks,
                                    days_365, spend_365_kopecks)
WITH bought AS (
    -- one of the two halves runs: everyone, or the customers to recompute
    SELECT p.connection_id, p.customer_id, p.purchase_day, sum(p.amount_kopecks - p.refunded_kopecks) AS net
      FROM core.purchase p
     WHERE (SELECT everyone FROM night_scope) AND p.completed AND p.purchase_day <= CAST(:business_date AS date)
     GROUP BY p.connection_id, p.customer_id, p.purchase_day
    UNION ALL
    SELECT p.connection_id, p.customer_id, p.purchase_day, sum(p.amount_kopecks - p.refunded_kopecks)
      FROM night_recompute r
      JOIN core.purchase p ON p.customer_id = r.customer_id
     WHERE NOT (SELECT everyone FROM night_scope) AND p.completed AND p.purchase_day <= CAST(:business_date AS date)
     GROUP BY p.connection_id, p.customer_id, p.purchase_day
), days AS (
    SELECT 'circle' AS scope, customer_id, purchase_day, sum(net) AS net FROM bought GROUP BY customer_id, purchase_day
    UNION ALL
    SELECT connection_id, customer_id, purchase_day, net FROM bought
)
SELECT scope, customer_id, min(purchase_day), max(purchase_day), count(*), sum(net),
       -- the net of the first day: the smallest (day, net) pair's second half
       (min(ARRAY[purchase_day - DATE '2000-01-01', net]))[2],
       count(*) FILTER (WHERE purchase_day > CAST(:business_date AS date) - 365),
       coalesce(sum(net) FILTER (WHERE purchase_day > CAST(:business_date AS date) - 365), 0)
  FROM days
 GROUP BY scope, customer_id;

DELETE FROM core.activity_todo;

-- (only the business date matters to this step's mark)
INSERT INTO core.night_mark (step, read_from, business_date)
VALUES ('activity', '0', CAST(:business_date AS date))
ON CONFLICT (step) DO UPDATE SET business_date = EXCLUDED.business_date, marked_at = now();
