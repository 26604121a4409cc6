-- GET /api/v1/customers/me kept per customer (customers/MeAnswers): the answer as the customer API wrote it,
-- served again by one look-up by key until something it shows changes. Its statement of seven look-ups was
-- the larger half of a request's CPU (BENCHMARKS.md, "The customer API").
--
-- A kept answer counts only if all three still hold:
-- * changes = answered: every writer of what the answer shows outside the night (a redemption and its
--   cancellation, daytime points, consent, erasure) calls core.customers_changed(ids) in its own
--   transaction, which counts up `changes` of each customer's circle id (creating the row if none is kept)
--   and drops the kept body (an erased customer's answer is not left behind).
--   The answer is stored with the `changes` it was computed under, read in the same snapshot as its figures,
--   and stored only if `changes` is still that: a writer that committed meanwhile leaves it unstored.
-- * outdatings = the sum of core.answer_outdating.times: each step of the night (and the hub's start, for
--   settings that show in the answer, and a partner's new name) calls core.answers_outdated(by) as its last
--   statement, which outdates every kept answer at once instead of counting up a million rows. One row per
--   caller (a step's name, 'start', 'partners'), so that the two branches of a night, each holding its row
--   until it commits, never wait for each other; the sum only grows.
-- * day = the programme's today: points that expire, and those expiring within 30 days, depend on it.
CREATE TABLE core.customer_answer (
    customer_id bigint PRIMARY KEY,
    changes     bigint NOT NULL DEFAULT 0,
    answered    bigint,
    outdatings  bigint,
    day         date,
    body        text
);

CREATE TABLE core.answer_outdating (
    by_whom text PRIMARY KEY,
    times   bigint NOT NULL
);

-- Sorted, so that two writers with overlapping customers take the rows' locks in one order.
CREATE FUNCTION core.customers_changed(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO core.customer_answer AS a (customer_id, changes)
    SELECT DISTINCT coalesce(c.merged_into, c.id), 1
      FROM core.customer c
     WHERE c.id = ANY (ids)
     ORDER BY 1
    ON CONFLICT (customer_id) DO UPDATE SET changes = a.changes + 1, answered = NULL, body = NULL;
$$;

CREATE FUNCTION core.answers_outdated(by_whom text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO core.answer_outdating AS o (by_whom, times) VALUES (by_whom, 1)
    ON CONFLICT (by_whom) DO UPDATE SET times = o.times + 1;
$$;
