-- The warehouse's first schema. Each statement is accepted by ClickHouse 18.16 (the tests' server) and
-- 25.8 (docker-compose.yml): no window functions, no table CTEs, no TTL, no LowCardinality.
-- Each table of a night is partitioned by the business date that exported it: an export fills the twin
-- table *_load and swaps the date's partition in whole (REPLACE PARTITION), so a night exported twice,
-- or again after a crash halfway, leaves one copy and readers never see half a night.

-- What happened, as the nights saw it: sales, refunds and voids of core.purchase (what changed since the
-- last export, warehouse.purchase_event in PostgreSQL) and the points ledger's entries of the night.
CREATE TABLE IF NOT EXISTS analytics_events (
    business_date    Date,
    event_type       Enum8('sale' = 1, 'refund' = 2, 'void' = 3, 'points_earned' = 4, 'points_activated' = 5,
                           'points_expired' = 6, 'points_reversed' = 7, 'points_redeemed' = 8),
    partner          String,
    connection_id    String,
    customer_id      UInt64,
    source_id        String,
    event_day        Date,
    occurred_at      DateTime('UTC'),
    zone             String,
    amount_kopecks   Int64,
    points_pending   Int64,
    points_active    Int64
) ENGINE = MergeTree() PARTITION BY toYYYYMMDD(business_date) ORDER BY (event_day, partner, event_type, customer_id);

CREATE TABLE IF NOT EXISTS analytics_events_load AS analytics_events;

-- RFM of every night, for the circle (scope 'circle') and each partner's own customers (scope = connection).
CREATE TABLE IF NOT EXISTS rfm_segments (
    business_date    Date,
    scope            String,
    partner          String,
    customer_id      UInt64,
    recency_days     UInt32,
    frequency        UInt32,
    monetary_kopecks Int64,
    r                UInt8,
    f                UInt8,
    m                UInt8,
    segment          String
) ENGINE = MergeTree() PARTITION BY toYYYYMMDD(business_date) ORDER BY (scope, customer_id);

CREATE TABLE IF NOT EXISTS rfm_segments_load AS rfm_segments;

-- Churn scores of every night (the night scores the circle; scope is there for per-partner models), with
-- the customer's RFM segment in that scope.
CREATE TABLE IF NOT EXISTS churn_predictions (
    business_date              Date,
    scope                      String,
    customer_id                UInt64,
    segment                    String,
    repeat_purchases           UInt32,
    recency_weeks              Float64,
    age_weeks                  Float64,
    probability_alive          Float64,
    churn_risk                 Float64,
    expected_purchases_90d     Float64,
    expected_average_kopecks   Nullable(Int64),
    expected_value_12m_kopecks Nullable(Int64)
) ENGINE = MergeTree() PARTITION BY toYYYYMMDD(business_date) ORDER BY (scope, customer_id);

CREATE TABLE IF NOT EXISTS churn_predictions_load AS churn_predictions;

-- The night itself: each step (read and write counts, duration) and each fitted model (parameters as
-- JSON, log-likelihood, customers).
CREATE TABLE IF NOT EXISTS nightly_runs (
    business_date    Date,
    execution_id     UInt64,
    kind             Enum8('step' = 1, 'model' = 2),
    name             String,
    read_count       UInt64,
    write_count      UInt64,
    duration_ms      UInt64,
    parameters       String,
    log_likelihood   Nullable(Float64),
    customers        UInt64
) ENGINE = MergeTree() PARTITION BY toYYYYMMDD(business_date) ORDER BY (kind, name);

CREATE TABLE IF NOT EXISTS nightly_runs_load AS nightly_runs;
