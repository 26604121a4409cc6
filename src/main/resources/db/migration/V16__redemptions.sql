-- Redemptions: a customer (or a partner's cashier for them) spends active points at a partner.
-- The points come off the customer's lots, oldest first, each lot's share a REDEEM entry in the ledger
-- (naming the lot's sale like every other entry, and the redemption); a cancellation by the partner on the
-- same day gives them back to the same lots (REDEEM_CANCEL).
ALTER TABLE core.points_ledger DROP CONSTRAINT points_ledger_entry_type_check;
ALTER TABLE core.points_ledger ADD CONSTRAINT points_ledger_entry_type_check
    CHECK (entry_type IN ('EARN', 'ACTIVATE', 'EXPIRE', 'REVERSE', 'REDEEM', 'REDEEM_CANCEL'));
ALTER TABLE core.points_ledger ADD COLUMN redemption_id bigint;

-- Ledger ids of redemptions, between nights. The night numbers its entries after the largest id (the
-- points step holds the points lock, so no redemption writes meanwhile) and then moves this sequence past
-- them; redemptions take the lock shared.
CREATE SEQUENCE core.points_ledger_redeem_id;
SELECT setval('core.points_ledger_redeem_id', coalesce(max(id), 0) + 1, false) FROM core.points_ledger;

CREATE TABLE core.redemption (
    id                 bigserial PRIMARY KEY,
    customer_id        bigint      NOT NULL,
    partner_id         text        NOT NULL,
    points             bigint      NOT NULL CHECK (points > 0),
    -- who asked ('CUSTOMER' or 'PARTNER'), and the key a repeated request is known by within that scope:
    -- the customer's Idempotency-Key, or the partner's receipt (or its Idempotency-Key)
    channel            text        NOT NULL CHECK (channel IN ('CUSTOMER', 'PARTNER')),
    idempotency_scope  text        NOT NULL,
    idempotency_key    text        NOT NULL,
    receipt_ref        text,
    active_after       bigint      NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    zone               text        NOT NULL,
    local_day          date        NOT NULL,
    cancelled_at       timestamptz,
    UNIQUE (idempotency_scope, idempotency_key)
);
CREATE INDEX redemption_by_customer ON core.redemption (customer_id, id);

-- What each redemption took from which lot: a cancellation gives exactly that back.
CREATE TABLE core.redemption_lot (
    redemption_id      bigint NOT NULL,
    connection_id      text   NOT NULL,
    source_id          text   NOT NULL,
    points             bigint NOT NULL,
    PRIMARY KEY (redemption_id, connection_id, source_id)
);

-- A customer's points include those of the local customers merged into them (their lots and entries keep
-- the old id): found by this, for the customer API and redemptions.
CREATE INDEX customer_merged_into ON core.customer (merged_into) WHERE merged_into IS NOT NULL;
