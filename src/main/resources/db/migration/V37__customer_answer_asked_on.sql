-- The last day a customer's own request computed their kept answer (V36). After a night, which outdates every kept
-- answer, the hub computes again the answers of those who asked within hub.customer-api.warm-days, so that their
-- next request is one look-up by key instead of the morning's statement of seven (customers/MeAnswers.warm).
-- A warmed answer leaves the day as it was: a customer who no longer asks drops out of the warming.
ALTER TABLE core.customer_answer ADD COLUMN asked_on date;
CREATE INDEX customer_answer_by_asked_on ON core.customer_answer (asked_on) WHERE asked_on IS NOT NULL;
