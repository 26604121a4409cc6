-- The partners a customer visited (the customer API's me) from the index alone: the purchases' index by
-- customer carries each purchase's partner connection, day and whether it completed. Read from the table,
-- a customer's purchases lie one to a page (the night writes them in the order partners sent them): a buyer
-- of 75 sales cost 21 page reads and 30 ms, the heaviest (21,588 sales of a 1M-sale circle) 10,000 pages and
-- 1.4 s; from this index 4 and 160 pages (BENCHMARKS.md, "The customer API"). The same index as before,
-- wider: the night writes it for the same rows (on a 1M-sale circle the build took 6.0 s instead of 5.1 s).
DROP INDEX core.purchase_by_customer;
CREATE INDEX purchase_by_customer ON core.purchase (customer_id, occurred_at) INCLUDE (connection_id, purchase_day, completed);
