-- Incidents the alerts told ops about (monitoring/Incidents): one row per incident, open while
-- resolved_at is null. Kept in the database so that a restart, or another hub node, neither notifies
-- an open incident again nor forgets to notify its recovery. The *_sent_at columns say which of the two
-- notifications went out (null: still to send; the next check retries it).
CREATE TABLE ops.alert_incident (
    id               bigserial PRIMARY KEY,
    incident_key     text        NOT NULL,
    kind             text        NOT NULL,
    connection_id    text,
    night_id         bigint,
    status           text,
    error_class      text,
    opened_at        timestamptz NOT NULL DEFAULT now(),
    resolved_at      timestamptz,
    opened_sent_at   timestamptz,
    resolved_sent_at timestamptz
);
-- at most one open incident per key, whichever node sees it first
CREATE UNIQUE INDEX alert_incident_open ON ops.alert_incident (incident_key) WHERE resolved_at IS NULL;
CREATE INDEX alert_incident_unsent ON ops.alert_incident (id)
    WHERE opened_sent_at IS NULL OR (resolved_at IS NOT NULL AND resolved_sent_at IS NULL);
