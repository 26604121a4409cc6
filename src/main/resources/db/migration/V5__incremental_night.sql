-- The night reads only what changed in staging since it last read it.
--
-- Every staged row carries the id of the transaction that last wrote it (changed_xid), set by a
-- trigger so that no writer can forget it. A step of the night keeps, as its mark, the oldest
-- transaction still running when it began (pg_snapshot_xmin): every transaction below the mark had
-- ended by then, so the step saw its rows; the next night reads the rows at or above the mark. A row
-- can be read twice (the night is idempotent), never missed. Times would not do: a transaction that
-- began before the night and committed after it writes an earlier time the night never saw.
CREATE FUNCTION staging.mark_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_xid := pg_current_xact_id();
    RETURN NEW;
END $$;

ALTER TABLE staging.customer ADD COLUMN changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
ALTER TABLE staging.sale ADD COLUMN changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
ALTER TABLE staging.payment ADD COLUMN changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id();

CREATE TRIGGER customer_changed BEFORE UPDATE ON staging.customer FOR EACH ROW EXECUTE FUNCTION staging.mark_changed();
CREATE TRIGGER sale_changed BEFORE UPDATE ON staging.sale FOR EACH ROW EXECUTE FUNCTION staging.mark_changed();
CREATE TRIGGER payment_changed BEFORE UPDATE ON staging.payment FOR EACH ROW EXECUTE FUNCTION staging.mark_changed();

CREATE INDEX customer_by_change ON staging.customer (changed_xid);
CREATE INDEX sale_by_change ON staging.sale (changed_xid);
CREATE INDEX payment_by_change ON staging.payment (changed_xid);
-- a changed refund finds its sale, a relinked customer key its sales
CREATE INDEX payment_by_sale ON staging.payment (connection_id, sale_source_id) WHERE sale_source_id IS NOT NULL;
CREATE INDEX sale_by_customer_key ON staging.sale (connection_id, (coalesce(customer_source_id, 'phone:' || phone_e164)));

-- Where each step of the night will read from next time.
CREATE TABLE core.night_mark (
    step        text PRIMARY KEY,
    read_from   xid8 NOT NULL,
    business_date date NOT NULL,
    marked_at   timestamptz NOT NULL DEFAULT now()
);

-- A customer key moved to another customer (phone changed, or its local customer merged): its
-- purchases follow it on the next purchases step.
ALTER TABLE core.customer_link ADD COLUMN relinked_xid xid8;

-- The ledger is written by the night alone, one lot per sale (core.points_lot's key): these three
-- indexes cost a third of a first night's writing and guarded what the lot's key already guards.
DROP INDEX core.points_ledger_one_earn;
DROP INDEX core.points_ledger_one_activation;
DROP INDEX core.points_ledger_one_expiry;
