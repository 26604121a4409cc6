-- Points within minutes (loyalty/DaytimePoints): after each successful sync, the sales it changed that the
-- night has not posted yet get their pending points here, by the night's rules (rate, last night's tier),
-- net of refunds, none for a void. The customer API adds them to the pending points. This is not the
-- ledger: core.points_ledger is written by the night (and redemptions) alone, and the night's points step
-- drops the rows of the days it covered, so after a night the ledger is exactly the night's.
CREATE TABLE core.points_daytime (
    connection_id text        NOT NULL,
    source_id     text        NOT NULL,
    customer_id   bigint      NOT NULL,
    purchase_day  date        NOT NULL,
    pending       bigint      NOT NULL,
    tier          text,
    computed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, source_id)
);
CREATE INDEX points_daytime_by_customer ON core.points_daytime (customer_id);
CREATE INDEX points_daytime_by_day ON core.points_daytime (purchase_day);

-- Where each connection's daytime pass reads from next (staging's changed_xid), as the night's marks do.
CREATE TABLE core.points_daytime_mark (
    connection_id text PRIMARY KEY,
    read_from     xid8        NOT NULL,
    marked_at     timestamptz NOT NULL DEFAULT now()
);
