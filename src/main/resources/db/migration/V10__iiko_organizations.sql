-- iiko connections read every organization of their apiLogin (issue 10). Sales are keyed
-- <organizationId>:<orderId> and each organization keeps its own position in the stream's cursor
-- (<organizationId>.<key>). Connections made before, with their single organizationId setting,
-- are re-keyed here, so their staged sales are not staged a second time under the new key.
UPDATE staging.sale s
   SET source_id = (p.settings ->> 'organizationId') || ':' || s.source_id
  FROM ops.partner_connection p
 WHERE p.id = s.connection_id
   AND p.system = 'iiko'
   AND coalesce(p.settings ->> 'organizationId', '') <> ''
   AND position(':' IN s.source_id) = 0;

UPDATE ops.sync_cursor c
   SET position = (SELECT coalesce(jsonb_object_agg((p.settings ->> 'organizationId') || '.' || e.key, e.value), '{}'::jsonb)
                     FROM jsonb_each(c.position) e),
       version = c.version + 1
  FROM ops.partner_connection p
 WHERE p.id = c.connection_id
   AND p.system = 'iiko'
   AND coalesce(p.settings ->> 'organizationId', '') <> ''
   AND (c.position ? 'revision' OR c.position ? 'windowNext');
