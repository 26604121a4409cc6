-- What the analytics read instead of every event: aggregates the export derives from each night's
-- analytics_events (NightAggregates), partitioned by business date like the events and replaced whole the
-- same way, so that a night exported again, or after a crash, counts once. The hub fills them for the
-- nights exported before this version on its next start (derived_nights says which nights have them).

-- Sales and points per event day, partner and connection, as each night's events added them up (the
-- connection, so that a medical partner's figures can be left out). Column names differ from the
-- query's aliases: ClickHouse 18.16 takes an alias equal to a column inside sum() for the sum itself.
CREATE TABLE IF NOT EXISTS partner_day_totals (
    business_date  Date,
    event_day      Date,
    partner        String,
    connection_id  String,
    sale_count     UInt64,
    sale_sum       Int64,
    refund_sum     Int64,
    void_sum       Int64,
    amount_sum     Int64,
    earned_sum     Int64,
    activated_sum  Int64,
    expired_sum    Int64,
    reversed_sum   Int64,
    redeemed_sum   Int64
) ENGINE = MergeTree() PARTITION BY toYYYYMMDD(business_date) ORDER BY (event_day, partner, connection_id);

CREATE TABLE IF NOT EXISTS partner_day_totals_load AS partner_day_totals;

-- The months in which each customer had a sale event, per night that exported it.
CREATE TABLE IF NOT EXISTS customer_sale_months (
    business_date  Date,
    customer_id    UInt64,
    month          Date
) ENGINE = MergeTree() PARTITION BY toYYYYMMDD(business_date) ORDER BY (customer_id, month);

CREATE TABLE IF NOT EXISTS customer_sale_months_load AS customer_sale_months;

-- The cohort table (customers by month of first sale and month active) as each night changed it: the
-- night's count of each (cohort, month) less the count before it, for the customers it had sales of (a
-- late-arriving older sale moves a customer to an earlier cohort). Their sum over the nights is the table.
CREATE TABLE IF NOT EXISTS cohort_changes (
    business_date  Date,
    cohort         Date,
    month          Date,
    delta          Int64
) ENGINE = MergeTree() PARTITION BY toYYYYMMDD(business_date) ORDER BY (cohort, month);

CREATE TABLE IF NOT EXISTS cohort_changes_load AS cohort_changes;

-- The nights whose aggregates are complete (a night derived again adds a row: read DISTINCT).
CREATE TABLE IF NOT EXISTS derived_nights (
    business_date  Date,
    derived_at     DateTime('UTC')
) ENGINE = MergeTree() PARTITION BY toYYYYMM(business_date) ORDER BY business_date;
