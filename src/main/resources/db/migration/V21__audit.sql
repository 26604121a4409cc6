-- The audit of personal data (152-FZ): every read of a person's data through the API and every change of
-- it (a sync, an erasure, a consent) is one row here. Append-only: the hub only inserts; an UPDATE, a
-- DELETE or a TRUNCATE is refused by the trigger below, except the retention job's DELETE of rows past
-- their period (it sets the transaction-local audit.retention = 'on'). No personal data in it: a person
-- is a core customer id, or a partner's record by its connection and key; fields are names, not values.
CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE audit.entry (
    id             bigserial   PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_subject  text        NOT NULL,
    actor_role     text        NOT NULL,
    action         text        NOT NULL CHECK (action IN ('READ', 'CHANGE', 'ERASE', 'CONSENT')),
    fields         text[]      NOT NULL,
    channel        text        NOT NULL,
    -- whose data: a core customer, or a partner's record (its connection, the person's key there when the
    -- record names one, and which record: '<table>:<source id>')
    customer_id    bigint,
    connection_id  text,
    customer_key   text,
    record_ref     text,
    CHECK (customer_id IS NOT NULL OR connection_id IS NOT NULL)
);
CREATE INDEX entry_by_customer ON audit.entry (customer_id, id) WHERE customer_id IS NOT NULL;
CREATE INDEX entry_by_partner_key ON audit.entry (connection_id, customer_key, id) WHERE customer_key IS NOT NULL;
CREATE INDEX entry_by_at ON audit.entry (at);

-- Once per statement, so that the retention job's DELETE of a million rows costs one check
CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('audit.retention', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit.entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER entry_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- A sync's changes of personal data, without touching the sync's code: one statement-level trigger per
-- staged table and event, reading the statement's transition tables, inserting one row per record whose
-- personal fields were written (inserted not null, or changed). The actor is the record's connection (a
-- sync or a history import of it), unless the writer names itself in the transaction-local settings
-- audit.actor / audit.role / audit.channel (as the hub's own changes, e.g. an erasure, do). Personal fields
-- are the columns whose name holds 'name' or 'phone', so that columns renamed or added for encryption stay
-- covered without a change here.
CREATE FUNCTION audit.personal_fields(n jsonb, o jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(j.key ORDER BY j.key), '{}')
      FROM jsonb_each(n) j
     WHERE (j.key LIKE '%name%' OR j.key LIKE '%phone%')
       AND CASE WHEN o IS NULL THEN j.value <> 'null'::jsonb ELSE j.value IS DISTINCT FROM o -> j.key END
$$;

CREATE FUNCTION audit.staged_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    actor   text := nullif(current_setting('audit.actor', true), '');
    role    text := coalesce(nullif(current_setting('audit.role', true), ''), 'SYNC');
    channel text := nullif(current_setting('audit.channel', true), '');
    -- staging.customer's key at the partner is its source id; a sale's or payment's, its customer's
    key_sql text := CASE WHEN TG_TABLE_NAME = 'customer' THEN 'n.source_id' ELSE 'n.customer_source_id' END;
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE format($q$
            INSERT INTO audit.entry (actor_subject, actor_role, action, fields, channel, connection_id, customer_key, record_ref)
            SELECT coalesce($1, 'connection:' || w.connection_id), $2, 'CHANGE', w.fields,
                   coalesce($3, 'sync:' || w.connection_id), w.connection_id, w.customer_key, %L || ':' || w.source_id
              FROM (SELECT n.connection_id, n.source_id, %s AS customer_key, audit.personal_fields(to_jsonb(n), NULL) AS fields
                      FROM new_rows n) w
             WHERE cardinality(w.fields) > 0$q$, TG_TABLE_NAME, key_sql)
            USING actor, role, channel;
    ELSE
        EXECUTE format($q$
            INSERT INTO audit.entry (actor_subject, actor_role, action, fields, channel, connection_id, customer_key, record_ref)
            SELECT coalesce($1, 'connection:' || w.connection_id), $2, 'CHANGE', w.fields,
                   coalesce($3, 'sync:' || w.connection_id), w.connection_id, w.customer_key, %L || ':' || w.source_id
              FROM (SELECT n.connection_id, n.source_id, %s AS customer_key,
                           audit.personal_fields(to_jsonb(n), to_jsonb(o)) AS fields
                      FROM new_rows n JOIN old_rows o USING (connection_id, source_id)) w
             WHERE cardinality(w.fields) > 0$q$, TG_TABLE_NAME, key_sql)
            USING actor, role, channel;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER customer_audit_insert AFTER INSERT ON staging.customer REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit.staged_written();
CREATE TRIGGER customer_audit_update AFTER UPDATE ON staging.customer REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit.staged_written();
CREATE TRIGGER sale_audit_insert AFTER INSERT ON staging.sale REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit.staged_written();
CREATE TRIGGER sale_audit_update AFTER UPDATE ON staging.sale REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit.staged_written();
CREATE TRIGGER payment_audit_insert AFTER INSERT ON staging.payment REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit.staged_written();
CREATE TRIGGER payment_audit_update AFTER UPDATE ON staging.payment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit.staged_written();
