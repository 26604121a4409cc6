-- Step 4: each customer's activity as of the business date (core.customer_activity), for the circle and
-- for each partner's own purchases. A customer whose purchases the purchases step changed
-- (core.activity_todo) is recomputed from all their purchases; everyone else's figures move by what
-- came into reach (purchase days after the last night's date, up to tonight's) and what left the
-- trailing 365 days, so a night reads about the purchases of two days, not of years. A first night, a
-- night for a date before the last one or a year after it recomputes everyone. Parameters: :business_date.

-- Sorting the purchases once by customer and day feeds every grouping below in order; hashing ten
-- million (customer, day) groups spills to disk and took half as long again (on a first night).
SELECT set_config('enable_hashagg', 'off', true);

CREATE TEMP TABLE night_scope ON COMMIT DROP AS
SELECT last_date,
       last_date IS NULL OR last_date > CAST(:business_date AS date) OR last_date <= CAST(:business_date AS date) - 365
           OR NOT EXISTS (SELECT 1 FROM core.customer_activity) AS everyone
  FROM (SELECT (SELECT business_date FROM core.night_mark WHERE step = 'activity') AS last_date) m;

CREATE TEMP TABLE night_recompute ON COMMIT DROP AS
SELECT DISTINCT customer_id FROM core.activity_todo;

ANALYZE night_recompute;

DELETE FROM core.customer_activity a
 WHERE (SELECT everyone FROM night_scope)
    OR a.customer_id IN (SELECT customer_id FROM night_recompute);

-- The customers to recompute, for the circle and for each partner, each from one sort of their
-- purchases (by customer and day, by customer, partner and day) that feeds both groupings in order.
-- Made as tables rather than inserted straight away: PostgreSQL reads for CREATE TABLE AS with
-- parallel workers, not for INSERT (a first night: 35 s rather than 80). One of each pair of halves
-- runs: everyone, or the customers to recompute.
CREATE TEMP TABLE night_circle ON COMMIT DROP AS
SELECT 'circle' AS scope, customer_id, min(purchase_day) AS first_day, max(purchase_day) AS last_day,
       count(*) AS purchase_days, sum(net) AS spend_kopecks,
       -- the net of the first day: the smallest (day, net) pair's second half
       (min(ARRAY[purchase_day - DATE '2000-01-01', net]))[2] AS first_day_kopecks,
       count(*) FILTER (WHERE purchase_day > CAST(:business_date AS date) - 365) AS days_365,
       coalesce(sum(net) FILTER (WHERE purchase_day > CAST(:business_date AS date) - 365), 0) AS spend_365_kopecks
  FROM (SELECT p.customer_id, p.purchase_day, sum(p.amount_kopecks - p.refunded_kopecks) AS net
          FROM core.purchase p
         WHERE (SELECT everyone FROM night_scope) AND p.completed AND p.purchase_day <= CAST(:business_date AS date)
         GROUP BY p.customer_id, p.purchase_day
        UNION ALL
        SELECT p.customer_id, p.purchase_day, sum(p.amount_kopecks - p.refunded_kopecks)
          FROM night_recompute r
          JOIN core.purchase p ON p.customer_id = r.customer_id
         WHERE NOT (SELECT everyone FROM night_scope) AND p.completed AND p.purchase_day <= CAST(:business_date AS date)
         GROUP BY p.customer_id, p.purchase_day) days
 GROUP BY customer_id;

CREATE TEMP TABLE night_partner ON COMMIT DROP AS
SELECT connection_id AS scope, customer_id, min(purchase_day) AS first_day, max(purchase_day) AS last_day,
       count(*) AS purchase_days, sum(net) AS spend_kopecks,
       (min(ARRAY[purchase_day - DATE '2000-01-01', net]))[2] AS first_day_kopecks,
       count(*) FILTER (WHERE purchase_day > CAST(:business_date AS date) - 365) AS days_365,
       coalesce(sum(net) FILTER (WHERE purchase_day > CAST(:business_date AS date) - 365), 0) AS spend_365_kopecks
  FROM (SELECT p.customer_id, p.connection_id, p.purchase_day, sum(p.amount_kopecks - p.refunded_kopecks) AS net
          FROM core.purchase p
         WHERE (SELECT everyone FROM night_scope) AND p.completed AND p.purchase_day <= CAST(:business_date AS date)
         GROUP BY p.customer_id, p.connection_id, p.purchase_day
        UNION ALL
        SELECT p.customer_id, p.connection_id, p.purchase_day, sum(p.amount_kopecks - p.refunded_kopecks)
          FROM night_recompute r
          JOIN core.purchase p ON p.customer_id = r.customer_id
         WHERE NOT (SELECT everyone FROM night_scope) AND p.completed AND p.purchase_day <= CAST(:business_date AS date)
         GROUP BY p.customer_id, p.connection_id, p.purchase_day) days
 GROUP BY customer_id, connection_id;

SELECT core.suspend_indexes_if_empty('core.customer_activity');

INSERT INTO core.customer_activity (scope, customer_id, first_day, last_day, purchase_days, spend_kopecks, first_day_kopecks,
                                    days_365, spend_365_kopecks)
SELECT * FROM night_circle
UNION ALL
SELECT * FROM night_partner;

SELECT core.restore_indexes();

-- Everyone else: the purchase days that came into reach and those that left the 365 days.
CREATE TEMP TABLE night_delta ON COMMIT DROP AS
WITH edges AS (
    -- two ranges of days, each an index range scan
    SELECT p.*, true AS came
      FROM core.purchase p, night_scope s
     WHERE NOT s.everyone AND p.purchase_day > s.last_date AND p.purchase_day <= CAST(:business_date AS date)
    UNION ALL
    SELECT p.*, false
      FROM core.purchase p, night_scope s
     WHERE NOT s.everyone AND p.purchase_day > s.last_date - 365 AND p.purchase_day <= CAST(:business_date AS date) - 365
), moved AS (
    SELECT p.connection_id, p.customer_id, p.purchase_day, p.came, sum(p.amount_kopecks - p.refunded_kopecks) AS net
      FROM edges p
     WHERE p.completed AND NOT EXISTS (SELECT 1 FROM night_recompute r WHERE r.customer_id = p.customer_id)
     GROUP BY p.customer_id, p.purchase_day, p.connection_id, p.came
), days AS (
    SELECT 'circle' AS scope, customer_id, purchase_day, came, sum(net) AS net FROM moved GROUP BY customer_id, purchase_day, came
    UNION ALL
    SELECT connection_id, customer_id, purchase_day, came, net FROM moved
)
SELECT scope, customer_id,
       min(purchase_day) FILTER (WHERE came) AS first_day,
       max(purchase_day) FILTER (WHERE came) AS last_day,
       count(*) FILTER (WHERE came) AS came_days,
       coalesce(sum(net) FILTER (WHERE came), 0) AS came_kopecks,
       (min(ARRAY[purchase_day - DATE '2000-01-01', net]) FILTER (WHERE came))[2] AS first_day_kopecks,
       count(*) FILTER (WHERE NOT came) AS left_days,
       coalesce(sum(net) FILTER (WHERE NOT came), 0) AS left_kopecks
  FROM days
 GROUP BY scope, customer_id;

UPDATE core.customer_activity a
   SET last_day = coalesce(d.last_day, a.last_day),
       purchase_days = a.purchase_days + d.came_days,
       spend_kopecks = a.spend_kopecks + d.came_kopecks,
       days_365 = a.days_365 + d.came_days - d.left_days,
       spend_365_kopecks = a.spend_365_kopecks + d.came_kopecks - d.left_kopecks
  FROM night_delta d
 WHERE a.scope = d.scope AND a.customer_id = d.customer_id;

-- a first purchase at the circle or at a partner
INSERT INTO core.customer_activity (scope, customer_id, first_day, last_day, purchase_days, spend_kopecks, first_day_kopecks,
                                    days_365, spend_365_kopecks)
SELECT d.scope, d.customer_id, d.first_day, d.last_day, d.came_days, d.came_kopecks, d.first_day_kopecks, d.came_days,
       d.came_kopecks
  FROM night_delta d
 WHERE d.came_days > 0
   AND NOT EXISTS (SELECT 1 FROM core.customer_activity a WHERE a.scope = d.scope AND a.customer_id = d.customer_id);

DELETE FROM core.activity_todo;

-- (only the business date matters to this step's mark)
INSERT INTO core.night_mark (step, read_from, business_date)
VALUES ('activity', '0', CAST(:business_date AS date))
ON CONFLICT (step) DO UPDATE SET business_date = EXCLUDED.business_date, marked_at = now();
