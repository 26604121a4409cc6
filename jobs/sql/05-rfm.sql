-- Step 5: RFM of the circle (scope 'circle') and of each partner's own customers (scope = connection).
-- Recency: days since the last purchase at the business date. Frequency: distinct purchase days, and
-- monetary: spend less refunds, both over the trailing 365 days. Scores 1-5 by rank quintile:
-- 1 + floor(5 * (rank - 1) / n), worst first (the longest recency, the fewest days, the least spend), so
-- a tied group shares the score of its first rank whatever the row order, and a group that holds most
-- customers (CDNOW: 60 % bought on one day only) scores low rather than being lifted to the score its
-- last member reaches. R = 5 is the most recent. Reads the activity the step before keeps.
-- Parameters: :business_date.
-- Only the last night is kept: the step replaces every row. Emptied rather than deleted (two million
-- dead rows a night for vacuum otherwise), and its key rebuilt after the load rather than grown row by
-- row; either way readers wait for the step, which commits whole.
TRUNCATE core.rfm;

SELECT core.suspend_indexes_if_empty('core.rfm');

INSERT INTO core.rfm (business_date, scope, customer_id, recency_days, frequency, monetary_kopecks, r, f, m, segment)
WITH measured AS (
    SELECT scope, customer_id, CAST(:business_date AS date) - last_day AS recency_days, days_365 AS frequency,
           spend_365_kopecks AS monetary
      FROM core.customer_activity a
     -- customers without consent to processing are not segmented (nor ranked among the others)
     WHERE NOT EXISTS (SELECT 1 FROM privacy.unconsented u WHERE u.customer_id = a.customer_id)
), counted AS (
    SELECT scope, count(*) AS n FROM measured GROUP BY scope
), recency_rank AS (
    -- Recency and frequency take few distinct values (days): a value's rank is 1 + how many in its scope
    -- have a worse one, from a count per value, so only the monetary rank sorts every row (three sorts of
    -- two million rows, each buffering its scope for the count, were 16 s of a night)
    SELECT scope, recency_days, (1 + coalesce(sum(count(*)) OVER (PARTITION BY scope ORDER BY recency_days DESC
                                                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))::bigint AS rank
      FROM measured GROUP BY scope, recency_days
), frequency_rank AS (
    SELECT scope, frequency, (1 + coalesce(sum(count(*)) OVER (PARTITION BY scope ORDER BY frequency
                                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))::bigint AS rank
      FROM measured GROUP BY scope, frequency
), scored AS (
    -- (scopes are ids: compared byte by byte, the sort of two million rows takes less)
    SELECT m.*,
           (1 + 5 * (rr.rank - 1) / c.n)::smallint AS r,
           (1 + 5 * (fr.rank - 1) / c.n)::smallint AS f,
           (1 + 5 * (rank() OVER (PARTITION BY m.scope COLLATE "C" ORDER BY m.monetary) - 1) / c.n)::smallint AS m
      FROM measured m
      JOIN counted c ON c.scope = m.scope
      JOIN recency_rank rr ON rr.scope = m.scope AND rr.recency_days = m.recency_days
      JOIN frequency_rank fr ON fr.scope = m.scope AND fr.frequency = m.frequency
)
SELECT CAST(:business_date AS date), scope, customer_id, recency_days, frequency, monetary, r, f, m,
       CASE
           WHEN r = 5 AND f >= 4 THEN 'Champions'
           WHEN r IN (3, 4) AND f >= 4 THEN 'Loyal'
           WHEN r >= 4 AND f IN (2, 3) THEN 'Potential Loyalist'
           WHEN r = 5 AND f = 1 THEN 'New'
           WHEN r = 4 AND f = 1 THEN 'Promising'
           WHEN r = 3 AND f = 3 THEN 'Need Attention'
           WHEN r = 3 AND f <= 2 THEN 'About to Sleep'
           WHEN r <= 2 AND f IN (3, 4) THEN 'At Risk'
           WHEN r <= 2 AND f = 5 THEN 'Can''t Lose Them'
           ELSE 'Hibernating'
       END
  FROM scored;

SELECT core.restore_indexes();
