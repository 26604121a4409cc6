-- Consent to processing (152-FZ), per core customer: the latest word, who gave it and when. Its history
-- is in audit.entry (action CONSENT). Written by the customer API (and ops / partner systems when they
-- say so), never by the night, so not in core.
CREATE SCHEMA IF NOT EXISTS privacy;

CREATE TABLE privacy.consent (
    customer_id  bigint      PRIMARY KEY,
    given        boolean     NOT NULL,
    since        timestamptz NOT NULL,
    by_role      text        NOT NULL CHECK (by_role IN ('CUSTOMER', 'PARTNER', 'OPS')),
    by_subject   text        NOT NULL
);

-- What a customer without a consent row counts as (hub.consent.default-given, written here by the hub at
-- start so that the night's SQL reads one place).
CREATE TABLE privacy.policy (
    one            boolean PRIMARY KEY DEFAULT true CHECK (one),
    default_given  boolean NOT NULL
);
INSERT INTO privacy.policy (one, default_given) VALUES (true, true);

-- The customers not to be scored, segmented or exported: a withdrawn consent (of the customer or of the
-- circle customer a local one was merged into), or no consent row at all when the default is withheld.
-- (Each branch goes by a key or an index: the night reads it for millions of customers' activity.)
CREATE VIEW privacy.unconsented AS
SELECT k.customer_id
  FROM privacy.consent k
 WHERE NOT k.given
UNION ALL
SELECT c.id
  FROM privacy.consent k JOIN core.customer c ON c.merged_into = k.customer_id
 WHERE NOT k.given
UNION ALL
SELECT c.id
  FROM core.customer c
 WHERE NOT (SELECT default_given FROM privacy.policy)
   AND NOT EXISTS (SELECT 1 FROM privacy.consent k WHERE k.customer_id = coalesce(c.merged_into, c.id));

-- The retention job deletes by age
CREATE INDEX sync_run_by_finished ON ops.sync_run (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX dead_letter_by_last_seen ON ops.dead_letter (last_seen_at);
