-- What the segment analytics read instead of every customer's RFM row (a million a night per scope):
-- per-night counts the export derives from each night's rfm_segments (NightAggregates), partitioned by
-- business date and replaced whole like the rest, so a night exported again counts once. The hub fills
-- them for the nights exported before this version on its next start (segment_nights says which have them).

-- Customers per scope and segment of the night. (Column names differ from the query's aliases: ClickHouse
-- 18.16 takes an alias equal to a column inside sum() for the sum itself.)
CREATE TABLE IF NOT EXISTS segment_counts (
    business_date  Date,
    scope          String,
    segment        String,
    customer_count UInt64
) ENGINE = MergeTree() PARTITION BY toYYYYMMDD(business_date) ORDER BY (scope, segment);

CREATE TABLE IF NOT EXISTS segment_counts_load AS segment_counts;

-- Customers per scope by their segment on the previous night (previous_date: the latest night exported
-- before it) and on the night; '' where a customer has none on that side (new, or no longer scored). A
-- night exported for an earlier date after later ones re-derives the movements of the night after it.
CREATE TABLE IF NOT EXISTS segment_moves (
    business_date  Date,
    previous_date  Date,
    scope          String,
    from_segment   String,
    to_segment     String,
    customer_count UInt64
) ENGINE = MergeTree() PARTITION BY toYYYYMMDD(business_date) ORDER BY (scope, from_segment, to_segment);

CREATE TABLE IF NOT EXISTS segment_moves_load AS segment_moves;

-- The nights whose segment aggregates are complete (a night derived again adds a row: read DISTINCT).
CREATE TABLE IF NOT EXISTS segment_nights (
    business_date  Date,
    derived_at     DateTime('UTC')
) ENGINE = MergeTree() PARTITION BY toYYYYMM(business_date) ORDER BY business_date;
