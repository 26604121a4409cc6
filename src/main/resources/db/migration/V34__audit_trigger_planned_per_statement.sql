-- The sync audit's trigger (V28) compares a statement's old and new rows by a join of its two transition
-- tables. PL/pgSQL plans a static statement once per session and keeps the plan: planned on a statement
-- of a few rows, the join is a nested loop, and a later statement of 69,659 rows on the same connection
-- (a test voiding a whole cohort) ran it for over ten minutes. The joins now go through EXECUTE: planned
-- for each statement's rows, a hash join. The rows written are unchanged.
CREATE OR REPLACE FUNCTION audit.staged_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    actor   text := nullif(current_setting('audit.actor', true), '');
    role    text := coalesce(nullif(current_setting('audit.role', true), ''), 'SYNC');
    channel text := nullif(current_setting('audit.channel', true), '');
BEGIN
    IF TG_TABLE_NAME = 'customer' AND TG_OP = 'INSERT' THEN
        INSERT INTO audit.entry (actor_subject, actor_role, action, fields, channel, connection_id, customer_key, record_ref)
        SELECT coalesce(actor, 'connection:' || w.connection_id), role, 'CHANGE', w.fields,
               coalesce(channel, 'sync:' || w.connection_id), w.connection_id, w.source_id, 'customer:' || w.source_id
          FROM (SELECT n.connection_id, n.source_id,
                       array_remove(ARRAY[CASE WHEN n.name_sealed IS NOT NULL THEN 'name_sealed' END,
                                          CASE WHEN n.phone_key IS NOT NULL THEN 'phone_key' END,
                                          CASE WHEN n.phone_sealed IS NOT NULL THEN 'phone_sealed' END], NULL) AS fields
                  FROM new_rows n) w
         WHERE cardinality(w.fields) > 0;
    ELSIF TG_TABLE_NAME = 'customer' THEN
        EXECUTE $q$
        INSERT INTO audit.entry (actor_subject, actor_role, action, fields, channel, connection_id, customer_key, record_ref)
        SELECT coalesce($1, 'connection:' || w.connection_id), $2, 'CHANGE', w.fields,
               coalesce($3, 'sync:' || w.connection_id), w.connection_id, w.source_id, 'customer:' || w.source_id
          FROM (SELECT n.connection_id, n.source_id,
                       array_remove(ARRAY[CASE WHEN n.name_sealed IS DISTINCT FROM o.name_sealed THEN 'name_sealed' END,
                                          CASE WHEN n.phone_key IS DISTINCT FROM o.phone_key THEN 'phone_key' END,
                                          CASE WHEN n.phone_sealed IS DISTINCT FROM o.phone_sealed THEN 'phone_sealed' END],
                                    NULL) AS fields
                  FROM new_rows n JOIN old_rows o USING (connection_id, source_id)) w
         WHERE cardinality(w.fields) > 0$q$ USING actor, role, channel;
    ELSIF TG_OP = 'INSERT' THEN
        -- staging.sale or staging.payment: the customer's key at the partner is the row's customer_source_id
        INSERT INTO audit.entry (actor_subject, actor_role, action, fields, channel, connection_id, customer_key, record_ref)
        SELECT coalesce(actor, 'connection:' || w.connection_id), role, 'CHANGE', w.fields,
               coalesce(channel, 'sync:' || w.connection_id), w.connection_id, w.customer_source_id, TG_TABLE_NAME || ':' || w.source_id
          FROM (SELECT n.connection_id, n.source_id, n.customer_source_id,
                       array_remove(ARRAY[CASE WHEN n.phone_key IS NOT NULL THEN 'phone_key' END,
                                          CASE WHEN n.phone_sealed IS NOT NULL THEN 'phone_sealed' END], NULL) AS fields
                  FROM new_rows n) w
         WHERE cardinality(w.fields) > 0;
    ELSE
        EXECUTE $q$
        INSERT INTO audit.entry (actor_subject, actor_role, action, fields, channel, connection_id, customer_key, record_ref)
        SELECT coalesce($1, 'connection:' || w.connection_id), $2, 'CHANGE', w.fields,
               coalesce($3, 'sync:' || w.connection_id), w.connection_id, w.customer_source_id, $4 || ':' || w.source_id
          FROM (SELECT n.connection_id, n.source_id, n.customer_source_id,
                       array_remove(ARRAY[CASE WHEN n.phone_key IS DISTINCT FROM o.phone_key THEN 'phone_key' END,
                                          CASE WHEN n.phone_sealed IS DISTINCT FROM o.phone_sealed THEN 'phone_sealed' END],
                                    NULL) AS fields
                  FROM new_rows n JOIN old_rows o USING (connection_id, source_id)) w
         WHERE cardinality(w.fields) > 0$q$ USING actor, role, channel, TG_TABLE_NAME::text;
    END IF;
    RETURN NULL;
END $$;
