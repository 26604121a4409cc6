-- A customer's open lots (points left: pending, or active), for the customer API's balance and expiry and
-- for a redemption's oldest-lot-first spending. Found through the ledger's index by customer instead, a
-- request read every entry the customer ever had (four per sale) and probed a lot for each of their sales,
-- open or long spent: the heaviest buyers cost hundreds of milliseconds a request (BENCHMARKS.md, "The
-- customer API"). Partial: spent, reversed and expired lots (half of them after a year, and more every
-- night) are not in it. What it costs the night (V11 dropped the full index by customer to save a first
-- night a fifth of its points step): on a first night it is built once after the lots are loaded, over the
-- open ones only; on the other nights a new lot and an activated one add an entry (an activation rewrites
-- the row outside HOT anyway: its columns are in the other partial indexes), an expiry adds none.
CREATE INDEX points_lot_open_by_customer ON core.points_lot (customer_id) WHERE pending > 0 OR active > 0;
