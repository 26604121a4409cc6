-- The keys of purchases and points lots name the record first, then its connection. A first night builds
-- them over ten million rows at once (core.restore_indexes), and PostgreSQL sorts text by its first bytes
-- (abbreviated keys, under the "C" collation the embedded server now has): with the connection first,
-- whose five values share them, every comparison had to read both rows whole. The same columns, so every
-- lookup and ON CONFLICT by (connection_id, source_id) uses the key as before; nothing looks these tables
-- up by connection alone.
ALTER TABLE core.purchase DROP CONSTRAINT purchase_pkey, ADD CONSTRAINT purchase_pkey PRIMARY KEY (source_id, connection_id);
ALTER TABLE core.points_lot DROP CONSTRAINT points_lot_pkey, ADD CONSTRAINT points_lot_pkey PRIMARY KEY (source_id, connection_id);
