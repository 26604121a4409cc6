-- What the warehouse export (the night's last step) keeps in PostgreSQL, so that it sends ClickHouse only
-- what changed and can send any night again exactly as it sent it the first time.
CREATE SCHEMA warehouse;

-- Each purchase as last exported: the export compares core.purchase with it and writes the difference as
-- events. Per purchase, the events add up to its value today (completed: amount less refunds; else 0).
CREATE TABLE warehouse.purchase_exported (
    connection_id    text    NOT NULL,
    source_id        text    NOT NULL,
    customer_id      bigint  NOT NULL,
    amount_kopecks   bigint  NOT NULL,
    refunded_kopecks bigint  NOT NULL,
    completed        boolean NOT NULL,
    PRIMARY KEY (connection_id, source_id)
);

-- The events each night found, kept so that exporting a night again sends the very same rows.
-- sale: a completed purchase first seen (its amount); refund: money returned (negative), or a refund
-- undone (positive); void: a counted purchase that no longer counts as it was (voided, moved to another
-- customer, its amount changed), minus what it counted; a purchase that counts again is a new sale.
CREATE TABLE warehouse.purchase_event (
    business_date    date    NOT NULL,
    event_type       text    NOT NULL CHECK (event_type IN ('sale', 'refund', 'void')),
    connection_id    text    NOT NULL,
    source_id        text    NOT NULL,
    customer_id      bigint  NOT NULL,
    event_day        date    NOT NULL,
    occurred_at      timestamptz NOT NULL,
    amount_kopecks   bigint  NOT NULL
);
CREATE INDEX purchase_event_by_night ON warehouse.purchase_event (business_date);

-- The ledger's entries of a night are those it posted (business_date): the export reads them by a small
-- BRIN index (nights append their entries, so the dates follow the table's order), not by a scan of the
-- whole ledger every night.
CREATE INDEX points_ledger_by_night ON core.points_ledger USING brin (business_date);
