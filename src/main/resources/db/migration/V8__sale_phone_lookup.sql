-- The customers step takes a client's phone from their newest sale that carries one when their card
-- has none. Through the key index alone that read every sale of the client (thousands for a regular
-- who buys every day) to find none had a phone; this index holds only sales with a phone, newest
-- first, so the answer is its first entry or nothing.
CREATE INDEX sale_phone_by_customer_key ON staging.sale
    (connection_id, (coalesce(customer_source_id, 'phone:' || phone_e164)), source_changed_at DESC)
    WHERE phone_e164 IS NOT NULL;
