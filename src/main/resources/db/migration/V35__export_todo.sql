-- The warehouse export compared every purchase with what it had exported, every night (23 of a next night's
-- 30 s at 10M sales). It now compares only the purchases that can differ:
-- * those the purchases step added or changed since (core.export_todo, listed once an export has run; the
--   export empties it but for purchases dated after its night, which wait for the night of their day);
-- * those whose day came into its reach, after the latest night it exported (export_state.latest_night);
-- * those of customers it left out for want of consent last time (warehouse.excluded_at_export) and no
--   longer leaves out.
-- full_comparison makes the next export compare every purchase: set here, as exports before this version
-- kept none of it.
CREATE TABLE core.export_todo (
    source_id     text NOT NULL,
    connection_id text NOT NULL,
    PRIMARY KEY (source_id, connection_id)
);

CREATE TABLE warehouse.export_state (
    one             boolean PRIMARY KEY DEFAULT true CHECK (one),
    latest_night    date,
    full_comparison boolean NOT NULL
);
INSERT INTO warehouse.export_state (one, latest_night, full_comparison) VALUES (true, NULL, true);

CREATE TABLE warehouse.excluded_at_export (
    customer_id bigint PRIMARY KEY
);
