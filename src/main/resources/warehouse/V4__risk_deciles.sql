-- What the churn-risk analytics read instead of every customer's churn prediction (a million a night):
-- customers per tenth of churn risk of each night ([0, 0.1) is decile 0, [0.9, 1] decile 9), which the
-- export derives from the night's churn_predictions (RiskAggregates), partitioned by business date and
-- replaced whole like the rest. The hub fills them for the nights exported before this version on its
-- next start (risk_nights says which have them).
CREATE TABLE IF NOT EXISTS risk_deciles (
    business_date  Date,
    decile         UInt8,
    customer_count UInt64
) ENGINE = MergeTree() PARTITION BY toYYYYMMDD(business_date) ORDER BY decile;

CREATE TABLE IF NOT EXISTS risk_deciles_load AS risk_deciles;

-- The nights whose deciles are complete (a night derived again adds a row: read DISTINCT).
CREATE TABLE IF NOT EXISTS risk_nights (
    business_date  Date,
    derived_at     DateTime('UTC')
) ENGINE = MergeTree() PARTITION BY toYYYYMM(business_date) ORDER BY business_date;
