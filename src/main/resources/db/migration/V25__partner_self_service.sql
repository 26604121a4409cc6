-- Partner self-service (partners package): a connection made through the partner API lives here like one
-- seeded from config/partners.yml; `origin` says which. A deleted connection keeps its row (its staged
-- sales, runs and dead letters reference it and are kept for accounting), with status DELETED and its
-- credentials replaced by an empty set.
ALTER TABLE ops.partner_connection
    ADD COLUMN origin text NOT NULL DEFAULT 'config' CHECK (origin IN ('config', 'api')),
    ADD COLUMN deleted_at timestamptz;

ALTER TABLE ops.partner_connection DROP CONSTRAINT partner_connection_status_check;
ALTER TABLE ops.partner_connection ADD CONSTRAINT partner_connection_status_check
    CHECK (status IN ('ACTIVE', 'PAUSED', 'CREDENTIALS_REJECTED', 'DELETED'));

-- Webhooks (webhooks package): the secret in a connection's webhook address, stored as its SHA-256 (hex),
-- so the database alone does not give a forger the address. NULL: the connection takes no webhooks.
ALTER TABLE ops.partner_connection ADD COLUMN webhook_secret_sha256 text;
