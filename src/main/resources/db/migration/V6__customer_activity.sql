-- What RFM and the churn models need of each customer, kept up to date night by night so that a
-- night recomputes only the customers whose figures changed, not ten million purchases.
-- scope: 'circle' (all partners) or a connection id (that partner's own purchases). Money is net of
-- refunds; a day with several purchases counts once.
CREATE TABLE core.customer_activity (
    scope               text    NOT NULL,
    customer_id         bigint  NOT NULL,
    first_day           date    NOT NULL,
    last_day            date    NOT NULL,
    purchase_days       integer NOT NULL,
    spend_kopecks       bigint  NOT NULL,
    first_day_kopecks   bigint  NOT NULL,
    days_365            integer NOT NULL,
    spend_365_kopecks   bigint  NOT NULL,
    PRIMARY KEY (scope, customer_id)
);

-- Customers whose purchases the purchases step changed (both the old and the new customer of a
-- purchase that moved), for the activity step to recompute; it empties the list.
CREATE TABLE core.activity_todo (
    customer_id bigint PRIMARY KEY
);

-- RFM keeps the last night only (a night writes a row per customer and scope; their history belongs in
-- the warehouse).
DELETE FROM core.rfm WHERE business_date < (SELECT max(business_date) FROM core.rfm);

-- Core is derived by the night alone, a step a transaction, from keys the same night has just resolved.
-- The foreign keys' per-row checks tripled the cost of writing millions of rows (a first night over
-- ten million sales) and guarded nothing the night does not already guarantee.
ALTER TABLE core.customer DROP CONSTRAINT customer_home_connection_id_fkey, DROP CONSTRAINT customer_merged_into_fkey;
ALTER TABLE core.customer_link DROP CONSTRAINT customer_link_connection_id_fkey,
                               DROP CONSTRAINT customer_link_customer_id_fkey;
ALTER TABLE core.purchase DROP CONSTRAINT purchase_customer_id_fkey;
ALTER TABLE core.points_ledger DROP CONSTRAINT points_ledger_customer_id_fkey;
ALTER TABLE core.points_lot DROP CONSTRAINT points_lot_customer_id_fkey;
ALTER TABLE core.customer_tier DROP CONSTRAINT customer_tier_customer_id_fkey;

-- A first night fills empty tables with millions of rows: building an index once afterwards costs a
-- fraction of growing it row by row. The night calls suspend_indexes_if_empty before such a load and
-- restore_indexes after it, in the same transaction (a night that dies rolls the drop back). Keys go
-- too, so a load after a suspension must not rely on ON CONFLICT. Nothing reads an empty table, so the
-- lock the drop takes until the step commits blocks nobody.
CREATE FUNCTION core.suspend_indexes_if_empty(target regclass) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    filled boolean;
    suspended integer := 0;
    idx record;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', target) INTO filled;
    IF filled THEN
        RETURN 0;
    END IF;
    CREATE TEMP TABLE IF NOT EXISTS night_suspended_index (definition text NOT NULL) ON COMMIT DROP;
    FOR idx IN SELECT conname, pg_get_constraintdef(oid) AS definition
                 FROM pg_constraint
                WHERE conrelid = target AND contype IN ('p', 'u')
    LOOP
        INSERT INTO night_suspended_index
        VALUES (format('ALTER TABLE %s ADD CONSTRAINT %I %s', target, idx.conname, idx.definition));
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', target, idx.conname);
        suspended := suspended + 1;
    END LOOP;
    FOR idx IN SELECT i.indexrelid::regclass AS name, pg_get_indexdef(i.indexrelid) AS definition
                 FROM pg_index i
                WHERE i.indrelid = target
    LOOP
        INSERT INTO night_suspended_index VALUES (idx.definition);
        EXECUTE format('DROP INDEX %s', idx.name);
        suspended := suspended + 1;
    END LOOP;
    RETURN suspended;
END $$;

CREATE FUNCTION core.restore_indexes() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    restored integer := 0;
    idx record;
BEGIN
    IF to_regclass('pg_temp.night_suspended_index') IS NULL THEN
        RETURN 0;
    END IF;
    FOR idx IN SELECT definition FROM night_suspended_index LOOP
        EXECUTE idx.definition;
        restored := restored + 1;
    END LOOP;
    DELETE FROM night_suspended_index;
    RETURN restored;
END $$;

-- Purchases the points step has still to look at once it has lots (before that a night takes every
-- purchase): each purchase the purchases step adds or changes (new, refunded, voided, moved). The
-- points step empties it, but for sales dated after its night.
CREATE TABLE core.points_todo (
    connection_id text NOT NULL,
    source_id     text NOT NULL,
    PRIMARY KEY (connection_id, source_id)
);
