-- Staging keeps what each partner system said, keyed by (connection, source record id).
-- Core is derived from staging by the nightly job. Ops holds connections, cursors, runs and dead letters.
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS ops;

CREATE TABLE ops.partner_connection (
    id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    partner         text        NOT NULL,
    system          text        NOT NULL CHECK (system IN ('yclients', 'amocrm', 'iiko', 'onec', 'renovatio')),
    zone            text        NOT NULL,
    medical         boolean     NOT NULL DEFAULT false,
    schedule        text        NOT NULL,
    settings        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- Tink AEAD ciphertext of the credentials JSON, bound to the connection id as associated data.
    credentials     bytea       NOT NULL,
    status          text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'PAUSED', 'CREDENTIALS_REJECTED')),
    status_message  text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- One cursor per connection and stream; it moves in the same transaction as the rows it covers.
CREATE TABLE ops.sync_cursor (
    connection_id   text        NOT NULL REFERENCES ops.partner_connection (id) ON DELETE CASCADE,
    stream          text        NOT NULL,
    position        jsonb       NOT NULL,
    version         bigint      NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, stream)
);

CREATE TABLE ops.sync_run (
    id                bigserial PRIMARY KEY,
    connection_id     text        NOT NULL REFERENCES ops.partner_connection (id) ON DELETE CASCADE,
    trigger           text        NOT NULL,
    started_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz,
    status            text        NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED', 'CREDENTIALS_REJECTED')),
    pages             integer     NOT NULL DEFAULT 0,
    records_read      bigint      NOT NULL DEFAULT 0,
    records_written   bigint      NOT NULL DEFAULT 0,
    records_rejected  bigint      NOT NULL DEFAULT 0,
    error_class       text,
    error_message     text,
    -- What a run wants ops to know besides its status (a fallback taken, a gap it could not fill).
    notes             text
);
CREATE INDEX sync_run_by_connection ON ops.sync_run (connection_id, id DESC);
-- At most one run of a connection at a time, whichever hub node started it.
CREATE UNIQUE INDEX sync_run_one_running ON ops.sync_run (connection_id) WHERE status = 'RUNNING';

CREATE TABLE ops.dead_letter (
    id              bigserial PRIMARY KEY,
    connection_id   text        NOT NULL REFERENCES ops.partner_connection (id) ON DELETE CASCADE,
    sync_run_id     bigint      REFERENCES ops.sync_run (id) ON DELETE SET NULL,
    stream          text        NOT NULL,
    source_id       text,
    reason          text        NOT NULL,
    payload         text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dead_letter_by_connection ON ops.dead_letter (connection_id, id DESC);

-- Personal data is kept to what the programme needs: a name to greet and a phone to match (E.164).
CREATE TABLE staging.customer (
    connection_id     text        NOT NULL REFERENCES ops.partner_connection (id) ON DELETE CASCADE,
    source_id         text        NOT NULL,
    name              text,
    phone_e164        text,
    deleted           boolean     NOT NULL DEFAULT false,
    source_changed_at timestamptz NOT NULL,
    first_seen_at     timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, source_id)
);

-- A sale as the partner system records it. Only COMPLETED sales earn points; a later change
-- (deletion, no-show, cancel, un-post) updates the same row rather than adding one.
CREATE TABLE staging.sale (
    connection_id      text        NOT NULL REFERENCES ops.partner_connection (id) ON DELETE CASCADE,
    source_id          text        NOT NULL,
    kind               text        NOT NULL CHECK (kind IN ('SALE', 'REFUND')),
    status             text        NOT NULL CHECK (status IN ('COMPLETED', 'PENDING', 'NO_SHOW', 'VOID')),
    customer_source_id text,
    phone_e164         text,
    occurred_at        timestamptz NOT NULL,
    zone               text        NOT NULL,
    amount_kopecks     bigint      NOT NULL,
    source_changed_at  timestamptz NOT NULL,
    first_seen_at      timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, source_id)
);
CREATE INDEX sale_by_occurred ON staging.sale (occurred_at);

-- Money movements (payments and refunds, signed), where the partner system reports them apart from sales.
CREATE TABLE staging.payment (
    connection_id      text        NOT NULL REFERENCES ops.partner_connection (id) ON DELETE CASCADE,
    source_id          text        NOT NULL,
    sale_source_id     text,
    customer_source_id text,
    phone_e164         text,
    occurred_at        timestamptz NOT NULL,
    zone               text        NOT NULL,
    amount_kopecks     bigint      NOT NULL,
    deleted            boolean     NOT NULL DEFAULT false,
    source_changed_at  timestamptz NOT NULL,
    first_seen_at      timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, source_id)
);
