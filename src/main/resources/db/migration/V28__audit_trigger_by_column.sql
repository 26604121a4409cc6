-- The sync audit's triggers (V21) named a staged row's personal fields by turning every row into JSON and
-- reading its keys: on a full sync, one to_jsonb per row staged (and one of its old version per row
-- updated), ten percent of an ingest. Since V19 the personal columns are known: name_sealed, phone_key and
-- phone_sealed in staging.customer, phone_key and phone_sealed in staging.sale and staging.payment.
-- One static statement per table and event now compares those columns alone; what is written is unchanged.

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
        INSERT INTO audit.entry (actor_subject, actor_role, action, fields, channel, connection_id, customer_key, record_ref)
        SELECT coalesce(actor, 'connection:' || w.connection_id), role, 'CHANGE', w.fields,
               coalesce(channel, 'sync:' || w.connection_id), w.connection_id, w.source_id, 'customer:' || w.source_id
          FROM (SELECT n.connection_id, n.source_id,
                       array_remove(ARRAY[CASE WHEN n.name_sealed IS DISTINCT FROM o.name_sealed THEN 'name_sealed' END,
                                          CASE WHEN n.phone_key IS DISTINCT FROM o.phone_key THEN 'phone_key' END,
                                          CASE WHEN n.phone_sealed IS DISTINCT FROM o.phone_sealed THEN 'phone_sealed' END],
                                    NULL) AS fields
                  FROM new_rows n JOIN old_rows o USING (connection_id, source_id)) w
         WHERE cardinality(w.fields) > 0;
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
        INSERT INTO audit.entry (actor_subject, actor_role, action, fields, channel, connection_id, customer_key, record_ref)
        SELECT coalesce(actor, 'connection:' || w.connection_id), role, 'CHANGE', w.fields,
               coalesce(channel, 'sync:' || w.connection_id), w.connection_id, w.customer_source_id, TG_TABLE_NAME || ':' || w.source_id
          FROM (SELECT n.connection_id, n.source_id, n.customer_source_id,
                       array_remove(ARRAY[CASE WHEN n.phone_key IS DISTINCT FROM o.phone_key THEN 'phone_key' END,
                                          CASE WHEN n.phone_sealed IS DISTINCT FROM o.phone_sealed THEN 'phone_sealed' END],
                                    NULL) AS fields
                  FROM new_rows n JOIN old_rows o USING (connection_id, source_id)) w
         WHERE cardinality(w.fields) > 0;
    END IF;
    RETURN NULL;
END $$;
