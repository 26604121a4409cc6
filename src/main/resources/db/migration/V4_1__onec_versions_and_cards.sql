-- 1C:Enterprise has no change cursor: the connector remembers each object's DataVersion to tell a
-- changed document from one merely re-read in the rolling window.
CREATE TABLE ops.onec_data_version (
    connection_id   text        NOT NULL REFERENCES ops.partner_connection (id) ON DELETE CASCADE,
    entity          text        NOT NULL,
    ref_key         text        NOT NULL,
    data_version    text        NOT NULL,
    seen_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, entity, ref_key)
);

-- 1C discount cards: a receipt names a card, the card names its owner (a customer).
CREATE TABLE staging.onec_card (
    connection_id   text        NOT NULL REFERENCES ops.partner_connection (id) ON DELETE CASCADE,
    ref_key         text        NOT NULL,
    code            text,
    owner_key       text,
    deleted         boolean     NOT NULL DEFAULT false,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, ref_key)
);
