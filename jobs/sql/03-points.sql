-- Step 2b: the points ledger. The rules come from config/loyalty.yml as the temporary tables
-- night_rate (connection_id, percent) and night_tier (tier, min_spend_kopecks, multiplier), made by
-- the step before this script runs. Parameters: :business_date, :default_percent, :pending_days,
-- :expiry_months. Each statement only adds what is missing, so a night run twice posts nothing twice.

-- Redemptions spend the same lots between nights (loyalty/Redemptions, holding this lock shared): the step
-- waits for those under way and keeps new ones out until it commits, so a lot is never changed by both, and
-- the ledger ids it numbers after the largest are not taken meanwhile. Expiry, reversals and activation
-- then see a lot as the redemptions left it: expiry takes only what was not redeemed.
SELECT pg_advisory_xact_lock(hashtext('hub-points'));

-- What the step looks at: with no lots yet (a first night) every purchase; after that the purchases
-- the purchases step added or changed (core.points_todo). Tiers are recomputed for their customers and
-- for those whose purchases came into or left the 12 months since the last night (everyone on a first
-- night, or for a date before the last night's).
CREATE TEMP TABLE night_scope ON COMMIT DROP AS
SELECT first_night, last_date,
       first_night OR last_date IS NULL OR last_date > CAST(:business_date AS date)
           OR NOT EXISTS (SELECT 1 FROM core.customer_tier) AS every_tier
  FROM (SELECT NOT EXISTS (SELECT 1 FROM core.points_lot) AS first_night,
               (SELECT business_date FROM core.night_mark WHERE step = 'points') AS last_date) m;

-- After a first night, the sales to earn on tonight are among the purchases changed since the last.
CREATE TEMP TABLE night_new ON COMMIT DROP AS
SELECT p.connection_id, p.source_id, p.customer_id, p.occurred_at
  FROM core.points_todo t
  JOIN core.purchase p ON p.connection_id = t.connection_id AND p.source_id = t.source_id
 WHERE NOT (SELECT first_night FROM night_scope) AND p.completed AND p.purchase_day <= CAST(:business_date AS date)
   AND NOT EXISTS (SELECT 1 FROM core.points_lot l WHERE l.connection_id = p.connection_id AND l.source_id = p.source_id);

ANALYZE night_new;

-- After a first night, the customers with sales to earn on tonight, and how far back their tier's spend
-- reaches: 12 months before their oldest new sale. (A first night reads every purchase.)
CREATE TEMP TABLE night_since ON COMMIT DROP AS
SELECT customer_id, min(occurred_at) - interval '12 months' AS from_at
  FROM night_new
 GROUP BY customer_id;

ANALYZE night_since;

CREATE TEMP TABLE night_tier_customer ON COMMIT DROP AS
SELECT customer_id FROM night_since
UNION
SELECT p.customer_id
  FROM core.points_todo t
  JOIN core.purchase p ON p.connection_id = t.connection_id AND p.source_id = t.source_id
UNION
SELECT p.customer_id
  FROM core.purchase p, night_scope s
 -- (the flag as a one-time test: a first night's purchases have no statistics yet, and PostgreSQL read them
 -- all to join them to the flag's row)
 WHERE NOT (SELECT every_tier FROM night_scope) AND p.completed
   AND p.purchase_day > s.last_date - interval '12 months'
   AND p.purchase_day <= CAST(:business_date AS date) - interval '12 months'
-- and whose purchases came into the 12 months since the last night: not only tonight's new ones (after a
-- night for an earlier date, the purchases between its date and tonight's were earned on long ago)
UNION
SELECT p.customer_id
  FROM core.purchase p, night_scope s
 WHERE NOT (SELECT every_tier FROM night_scope) AND p.completed
   AND p.purchase_day > s.last_date
   AND p.purchase_day <= CAST(:business_date AS date);

ANALYZE night_tier_customer;

-- Tiers numbered from the lowest: a spend's tier is the one whose number width_bucket gives over their
-- thresholds (a join on a range compared every sale with every tier: half a minute on a first night).
CREATE TEMP TABLE night_tier_step ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY min_spend_kopecks)::integer AS step, tier, min_spend_kopecks, multiplier
  FROM night_tier;

ANALYZE night_tier_step;

-- Tiers as of tonight: trailing 12-month spend (refunds deducted) across the circle, for whoever bought in
-- those 12 months. Whoever bought nothing in them has no row (the first tier): the rows to recompute are
-- dropped first, so whatever nights ran before, tonight's rows are those one night over everything gives.
DELETE FROM core.customer_tier ct
 WHERE (SELECT every_tier FROM night_scope)
    OR ct.customer_id IN (SELECT customer_id FROM night_tier_customer);

INSERT INTO core.customer_tier AS ct (customer_id, tier, spend_12m_kopecks, as_of)
SELECT s.customer_id, t.tier, s.spend, CAST(:business_date AS date)
  FROM (SELECT customer_id, sum(amount_kopecks - refunded_kopecks)::bigint AS spend
          FROM core.purchase
         WHERE (SELECT every_tier FROM night_scope)
           AND completed AND purchase_day > CAST(:business_date AS date) - interval '12 months'
           AND purchase_day <= CAST(:business_date AS date)
         GROUP BY customer_id
        UNION ALL
        SELECT c.customer_id, sum(p.amount_kopecks - p.refunded_kopecks)::bigint
          FROM night_tier_customer c
          JOIN core.purchase p
            ON p.customer_id = c.customer_id AND p.completed
           AND p.purchase_day > CAST(:business_date AS date) - interval '12 months'
           AND p.purchase_day <= CAST(:business_date AS date)
         WHERE NOT (SELECT every_tier FROM night_scope)
         GROUP BY c.customer_id) s
  JOIN night_tier_step t
    ON t.step = width_bucket(s.spend, (SELECT array_agg(min_spend_kopecks ORDER BY step) FROM night_tier_step))
ON CONFLICT (customer_id) DO UPDATE
   SET tier = EXCLUDED.tier, spend_12m_kopecks = EXCLUDED.spend_12m_kopecks, as_of = EXCLUDED.as_of;

-- Tonight's ledger entries on lots posted before tonight, gathered here and posted in one go (numbered
-- in the order of customer and day, so that the ledger's indexes grow at their ends).
CREATE TEMP TABLE night_entry (
    customer_id bigint NOT NULL, entry_type text NOT NULL, pending_delta bigint NOT NULL DEFAULT 0,
    active_delta bigint NOT NULL DEFAULT 0, effective_on date NOT NULL, business_date date NOT NULL,
    connection_id text NOT NULL, source_id text NOT NULL, tier text) ON COMMIT DROP;

-- Existing lots first (tonight's new lots are posted whole below).
-- Reverse: a refunded share of a sale takes back that share of its points, a void or no-show all of
-- them; from the pending points if not yet active, else from what is left of the lot (never more:
-- points that expired or were spent are gone, and the balance never goes below zero). Only a purchase
-- changed since the last night can owe a new reversal.
CREATE TEMP TABLE night_reverse ON COMMIT DROP AS
SELECT l.connection_id, l.source_id, l.customer_id, l.activated,
       target.points - l.reversed_target AS delta,
       CASE WHEN l.activated THEN least(target.points - l.reversed_target, l.active)
            ELSE least(target.points - l.reversed_target, l.pending) END AS taken
  FROM core.points_todo t
  JOIN core.purchase p ON p.connection_id = t.connection_id AND p.source_id = t.source_id
  JOIN core.points_lot l ON l.connection_id = p.connection_id AND l.source_id = p.source_id
 CROSS JOIN LATERAL (SELECT CASE WHEN NOT p.completed THEN l.earned
                                 WHEN p.amount_kopecks <= 0 THEN 0
                                 ELSE floor(l.earned::numeric * p.refunded_kopecks / p.amount_kopecks)::bigint END AS points) target
 WHERE (p.refunded_kopecks > 0 OR NOT p.completed)
   AND target.points > l.reversed_target;

UPDATE core.points_lot l
   SET reversed_target = l.reversed_target + r.delta,
       pending = l.pending - CASE WHEN r.activated THEN 0 ELSE r.taken END,
       active = l.active - CASE WHEN r.activated THEN r.taken ELSE 0 END
  FROM night_reverse r
 WHERE l.connection_id = r.connection_id AND l.source_id = r.source_id;

INSERT INTO night_entry (customer_id, entry_type, pending_delta, active_delta, effective_on, business_date, connection_id, source_id)
SELECT customer_id, 'REVERSE', CASE WHEN activated THEN 0 ELSE -taken END, CASE WHEN activated THEN -taken ELSE 0 END,
       CAST(:business_date AS date), CAST(:business_date AS date), connection_id, source_id
  FROM night_reverse
 WHERE taken > 0;

-- Activate: pending points become active after the pending period; they expire 12 months later.
CREATE TEMP TABLE night_activate ON COMMIT DROP AS
SELECT connection_id, source_id, customer_id, pending, activates_on
  FROM core.points_lot
 WHERE NOT activated AND activates_on <= CAST(:business_date AS date);

UPDATE core.points_lot l
   SET activated = true, active = l.active + a.pending, pending = 0,
       expires_on = (a.activates_on + CAST(:expiry_months AS integer) * interval '1 month')::date
  FROM night_activate a
 WHERE l.connection_id = a.connection_id AND l.source_id = a.source_id;

INSERT INTO night_entry (customer_id, entry_type, pending_delta, active_delta, effective_on, business_date, connection_id, source_id)
SELECT customer_id, 'ACTIVATE', -pending, pending, activates_on, CAST(:business_date AS date), connection_id, source_id
  FROM night_activate
 WHERE pending > 0;

-- Expire: what is left of a lot 12 months after it became active.
CREATE TEMP TABLE night_expire ON COMMIT DROP AS
SELECT connection_id, source_id, customer_id, active, expires_on
  FROM core.points_lot
 WHERE activated AND active > 0 AND expires_on <= CAST(:business_date AS date);

UPDATE core.points_lot l
   SET active = 0, consumed = l.consumed + e.active
  FROM night_expire e
 WHERE l.connection_id = e.connection_id AND l.source_id = e.source_id;

INSERT INTO night_entry (customer_id, entry_type, active_delta, effective_on, business_date, connection_id, source_id)
SELECT customer_id, 'EXPIRE', -active, expires_on, CAST(:business_date AS date), connection_id, source_id
  FROM night_expire;

-- Earn: each completed sale not yet earned on, at the tier its customer had just before it (the 12
-- months of spend before the sale). A new lot goes through the same life as an old one, in the same
-- order (earn, reverse from pending, activate, expire), all tonight: a first night over years of
-- history writes each lot once instead of updating millions of them.
CREATE TEMP TABLE night_earn ON COMMIT DROP AS
WITH history AS (
    SELECT p.connection_id, p.source_id, p.customer_id, p.purchase_day, p.amount_kopecks, p.refunded_kopecks,
           -- (a hashed lookup in tonight's few new sales: a join would hash the ten million instead)
           (SELECT first_night FROM night_scope) AND p.purchase_day <= CAST(:business_date AS date)
               OR (p.connection_id, p.source_id) IN (SELECT connection_id, source_id FROM night_new) AS new,
           -- (the same sort as the window below: it numbers the new lots' ledger entries)
           row_number() OVER (ORDER BY p.customer_id, p.occurred_at, p.connection_id, p.source_id) AS seq,
           -- the window with the sale, less the sale: an EXCLUDE clause would make PostgreSQL add up the
           -- whole window again for every row (a customer with thousands of sales a year)
           (sum(p.amount_kopecks - p.refunded_kopecks) OVER (
               PARTITION BY p.customer_id ORDER BY p.occurred_at
               RANGE BETWEEN interval '12 months' PRECEDING AND CURRENT ROW))::bigint
               - (p.amount_kopecks - p.refunded_kopecks) AS spend_before
      FROM (SELECT p.*
              FROM core.purchase p
             WHERE (SELECT first_night FROM night_scope) AND p.completed
            UNION ALL
            SELECT p.*
              FROM core.purchase p
              JOIN night_since s ON s.customer_id = p.customer_id AND p.occurred_at >= s.from_at
             WHERE NOT (SELECT first_night FROM night_scope) AND p.completed) p
), earned AS (
    SELECT h.connection_id, h.source_id, h.customer_id, h.seq, h.purchase_day, h.amount_kopecks, h.refunded_kopecks, t.tier,
           floor(h.amount_kopecks * coalesce(r.percent, CAST(:default_percent AS numeric)) * t.multiplier / 10000)::bigint AS points,
           h.purchase_day + CAST(:pending_days AS integer) AS activates_on
      FROM history h
      JOIN night_tier_step t
        ON t.step = width_bucket(h.spend_before, (SELECT array_agg(min_spend_kopecks ORDER BY step) FROM night_tier_step))
      LEFT JOIN night_rate r ON r.connection_id = h.connection_id
     WHERE h.new
    -- (OFFSET 0 keeps each figure computed once per sale: merged into the expressions that use them,
    -- the points were worked out in numeric four times over, a third of this statement's time)
    OFFSET 0
), reversed AS (
    SELECT e.*,
           CASE WHEN e.refunded_kopecks <= 0 OR e.amount_kopecks <= 0 THEN 0
                ELSE floor(e.points::numeric * e.refunded_kopecks / e.amount_kopecks)::bigint END AS reversed_points,
           e.activates_on <= CAST(:business_date AS date) AS activated,
           (e.activates_on + CAST(:expiry_months AS integer) * interval '1 month')::date AS expires_on
      FROM earned e
    OFFSET 0
)
SELECT r.*, r.points - r.reversed_points AS left_after_reversal,
       r.activated AND r.expires_on <= CAST(:business_date AS date) AS expired
  FROM reversed r;

SELECT core.suspend_indexes_if_empty('core.points_lot');

INSERT INTO core.points_lot (connection_id, source_id, customer_id, earned, pending, active, reversed_target, consumed,
                             earned_on, activates_on, activated, expires_on)
SELECT connection_id, source_id, customer_id, points,
       CASE WHEN activated THEN 0 ELSE left_after_reversal END,
       CASE WHEN activated AND NOT expired THEN left_after_reversal ELSE 0 END,
       reversed_points,
       CASE WHEN expired THEN left_after_reversal ELSE 0 END,
       purchase_day, activates_on, activated, CASE WHEN activated THEN expires_on END
  FROM night_earn;

SELECT core.restore_indexes();

SELECT core.suspend_indexes_if_empty('core.points_ledger');

INSERT INTO core.points_ledger (id, customer_id, entry_type, pending_delta, active_delta, effective_on, business_date,
                                connection_id, source_id, tier)
SELECT (SELECT coalesce(max(id), 0) FROM core.points_ledger)
           + row_number() OVER (ORDER BY customer_id, effective_on,
                                         array_position(ARRAY['EARN', 'REVERSE', 'ACTIVATE', 'EXPIRE'], entry_type),
                                         connection_id, source_id),
       customer_id, entry_type, pending_delta, active_delta, effective_on, business_date, connection_id, source_id, tier
  FROM night_entry;

-- The new lots' entries (earn, reverse, activate, expire), straight from night_earn: numbered four to a
-- sale in the order of night_earn's seq (customer, then time of sale), so that ten million sales on a
-- first night need no sort of forty million entries. One pass over night_earn per kind of entry: a
-- list of the four kinds joined to every sale (LATERAL VALUES) cost 5 microseconds a sale, two thirds
-- of this statement's time.
INSERT INTO core.points_ledger (id, customer_id, entry_type, pending_delta, active_delta, effective_on, business_date,
                                connection_id, source_id, tier)
SELECT last.id + 4 * e.seq + e.n, e.customer_id, e.entry_type, e.pending_delta, e.active_delta, e.effective_on,
       CAST(:business_date AS date), e.connection_id, e.source_id, e.tier
  FROM (SELECT seq, 0 AS n, customer_id, 'EARN' AS entry_type, points AS pending_delta, 0::bigint AS active_delta,
               purchase_day AS effective_on, connection_id, source_id, tier
          FROM night_earn
         WHERE points > 0
        UNION ALL
        SELECT seq, 1, customer_id, 'REVERSE', -reversed_points, 0, CAST(:business_date AS date), connection_id, source_id, NULL
          FROM night_earn
         WHERE reversed_points > 0
        UNION ALL
        SELECT seq, 2, customer_id, 'ACTIVATE', -left_after_reversal, left_after_reversal, activates_on, connection_id,
               source_id, NULL
          FROM night_earn
         WHERE activated AND left_after_reversal > 0
        UNION ALL
        SELECT seq, 3, customer_id, 'EXPIRE', 0, -left_after_reversal, expires_on, connection_id, source_id, NULL
          FROM night_earn
         WHERE expired AND left_after_reversal > 0) e
 CROSS JOIN (SELECT coalesce(max(id), 0) AS id FROM core.points_ledger) last;

SELECT core.restore_indexes();

-- Redemptions' ledger ids go on after tonight's.
SELECT setval('core.points_ledger_redeem_id', coalesce(max(id), 0) + 1, false) FROM core.points_ledger;

-- Done with, but for sales dated after tonight.
DELETE FROM core.points_todo t
 WHERE NOT EXISTS (SELECT 1 FROM core.purchase p
                    WHERE p.connection_id = t.connection_id AND p.source_id = t.source_id
                      AND p.purchase_day > CAST(:business_date AS date));

-- Points within minutes (loyalty/DaytimePoints) were an early look at the days tonight covered: tonight's
-- ledger and lots replace them. Never read above: the ledger is the night's alone.
DELETE FROM core.points_daytime WHERE purchase_day <= CAST(:business_date AS date);

INSERT INTO core.night_mark (step, read_from, business_date)
VALUES ('points', '0', CAST(:business_date AS date))
ON CONFLICT (step) DO UPDATE SET business_date = EXCLUDED.business_date, marked_at = now();
