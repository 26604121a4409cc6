-- A partner without an API joins by file: its connection has the system 'file' (no route, no schedule).
ALTER TABLE ops.partner_connection DROP CONSTRAINT partner_connection_system_check;
ALTER TABLE ops.partner_connection ADD CONSTRAINT partner_connection_system_check
    CHECK (system IN ('yclients', 'amocrm', 'iiko', 'onec', 'renovatio', 'file'));

-- One person across partners. A customer with a phone is in the circle; one without is local to the
-- partner that knows them (home_connection_id) until a phone appears. Ids never change: a local
-- customer whose phone turns out to be a circle customer's is merged into it (merged_into), and
-- everything recorded under the old id counts for the circle customer.
-- Ids are given by the night itself (the next numbers, in a fixed order), not by a sequence: a night
-- that dies and restarts gives the very ids an unbroken night gives.
CREATE TABLE core.customer (
    id                 bigint PRIMARY KEY,
    phone_e164         text UNIQUE,
    home_connection_id text REFERENCES ops.partner_connection (id) ON DELETE SET NULL,
    merged_into        bigint REFERENCES core.customer (id),
    created_on         date        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now()
);

-- How each partner system names a person: its client id, or 'phone:<E.164>' for a sale that only
-- carries a phone.
CREATE TABLE core.customer_link (
    connection_id      text   NOT NULL REFERENCES ops.partner_connection (id) ON DELETE CASCADE,
    customer_key       text   NOT NULL,
    customer_id        bigint NOT NULL REFERENCES core.customer (id),
    linked_on          date   NOT NULL,
    PRIMARY KEY (connection_id, customer_key)
);
CREATE INDEX customer_link_by_customer ON core.customer_link (customer_id);

-- Staged sales with their customer resolved and their local purchase day: what points, RFM and churn read.
CREATE TABLE core.purchase (
    connection_id      text    NOT NULL,
    source_id          text    NOT NULL,
    customer_id        bigint  NOT NULL REFERENCES core.customer (id),
    occurred_at        timestamptz NOT NULL,
    purchase_day       date    NOT NULL,
    amount_kopecks     bigint  NOT NULL,
    refunded_kopecks   bigint  NOT NULL DEFAULT 0,
    completed          boolean NOT NULL,
    PRIMARY KEY (connection_id, source_id)
);
CREATE INDEX purchase_by_customer ON core.purchase (customer_id, occurred_at);
CREATE INDEX purchase_by_day ON core.purchase (purchase_day);
-- the few purchases that can owe a points reversal
CREATE INDEX purchase_refunded_or_void ON core.purchase (connection_id, source_id) WHERE refunded_kopecks > 0 OR NOT completed;

-- The points ledger: append-only. A correction is a new entry, never an edit. Every entry names the
-- staged record it came from (connection_id, source_id). Points move between two buckets:
-- pending (earned, not yet spendable) and active.
CREATE TABLE core.points_ledger (
    id                 bigint  PRIMARY KEY,
    customer_id        bigint  NOT NULL REFERENCES core.customer (id),
    entry_type         text    NOT NULL CHECK (entry_type IN ('EARN', 'ACTIVATE', 'EXPIRE', 'REVERSE', 'REDEEM')),
    pending_delta      bigint  NOT NULL DEFAULT 0,
    active_delta       bigint  NOT NULL DEFAULT 0,
    effective_on       date    NOT NULL,
    business_date      date    NOT NULL,
    connection_id      text    NOT NULL,
    source_id          text    NOT NULL,
    tier               text,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX points_ledger_by_customer ON core.points_ledger (customer_id, id);
-- (looked up by source through these: one earning, one activation and one expiry per sale)
CREATE UNIQUE INDEX points_ledger_one_earn ON core.points_ledger (connection_id, source_id) WHERE entry_type = 'EARN';
CREATE UNIQUE INDEX points_ledger_one_activation ON core.points_ledger (connection_id, source_id) WHERE entry_type = 'ACTIVATE';
CREATE UNIQUE INDEX points_ledger_one_expiry ON core.points_ledger (connection_id, source_id) WHERE entry_type = 'EXPIRE';

-- The points of one sale as a lot, derived from the ledger so that activation, expiry (oldest first)
-- and reversals need no scan of the whole ledger.
CREATE TABLE core.points_lot (
    connection_id      text    NOT NULL,
    source_id          text    NOT NULL,
    customer_id        bigint  NOT NULL REFERENCES core.customer (id),
    earned             bigint  NOT NULL,
    pending            bigint  NOT NULL DEFAULT 0,
    active             bigint  NOT NULL DEFAULT 0,
    reversed_target    bigint  NOT NULL DEFAULT 0,
    consumed           bigint  NOT NULL DEFAULT 0,
    earned_on          date    NOT NULL,
    activates_on       date    NOT NULL,
    activated          boolean NOT NULL DEFAULT false,
    expires_on         date,
    PRIMARY KEY (connection_id, source_id)
);
CREATE INDEX points_lot_to_activate ON core.points_lot (activates_on) WHERE NOT activated;
CREATE INDEX points_lot_to_expire ON core.points_lot (expires_on) WHERE activated AND active > 0;
CREATE INDEX points_lot_by_customer ON core.points_lot (customer_id, expires_on);

-- Each customer's tier as of the last night: trailing 12-month spend across the circle.
CREATE TABLE core.customer_tier (
    customer_id        bigint PRIMARY KEY REFERENCES core.customer (id),
    tier               text   NOT NULL,
    spend_12m_kopecks  bigint NOT NULL,
    as_of              date   NOT NULL
);

-- RFM per night, for the circle (scope 'circle') and for each partner's own customers (scope = connection id).
CREATE TABLE core.rfm (
    business_date      date   NOT NULL,
    scope              text   NOT NULL,
    customer_id        bigint NOT NULL,
    recency_days       integer NOT NULL,
    frequency          integer NOT NULL,
    monetary_kopecks   bigint NOT NULL,
    r                  smallint NOT NULL,
    f                  smallint NOT NULL,
    m                  smallint NOT NULL,
    segment            text   NOT NULL,
    PRIMARY KEY (business_date, scope, customer_id)
);

-- The churn models fitted each night, and each customer's scores.
CREATE TABLE core.churn_model (
    business_date      date   NOT NULL,
    model              text   NOT NULL,
    parameters         jsonb  NOT NULL,
    log_likelihood     double precision,
    customers          integer NOT NULL,
    PRIMARY KEY (business_date, model)
);

CREATE TABLE core.churn_score (
    business_date                date   NOT NULL,
    customer_id                  bigint NOT NULL,
    repeat_purchases             integer NOT NULL,
    recency_weeks                double precision NOT NULL,
    age_weeks                    double precision NOT NULL,
    probability_alive            double precision NOT NULL,
    churn_risk                   double precision NOT NULL,
    expected_purchases_90d       double precision NOT NULL,
    expected_average_kopecks     bigint,
    expected_value_12m_kopecks   bigint,
    PRIMARY KEY (business_date, customer_id)
);
