-- The warehouse export's first night writes ten million purchases as exported and as the night's events,
-- then builds these tables' indexes whole (core.restore_indexes): 26 s of the export at 1M customers / 10M
-- sales. Two of that time's causes go:
-- * the key of purchases as exported names the record first, as core.purchase's does since V32: sorted
--   by their first bytes (abbreviated keys, collation "C"), source ids differ early, connection ids never
--   do; every lookup and join by (connection_id, source_id) uses it as before;
-- * the events are read by night, and nights append theirs: a BRIN index of the business date (as the
--   ledger's, V18) finds a night's pages without a B-tree of ten million equal dates.
ALTER TABLE warehouse.purchase_exported DROP CONSTRAINT purchase_exported_pkey,
    ADD CONSTRAINT purchase_exported_pkey PRIMARY KEY (source_id, connection_id);

DROP INDEX warehouse.purchase_event_by_night;
CREATE INDEX purchase_event_by_night ON warehouse.purchase_event USING brin (business_date);
