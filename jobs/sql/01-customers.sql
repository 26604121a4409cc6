-- Step 1 of the night: one customer per person across partners, matched by E.164 phone.
-- Parameters: :business_date. Idempotent: a second run finds nothing new to create or relink.

-- Every person a partner system told us about, with the phone we know for them: the client card's
-- phone first, else the newest phone on their sales.
CREATE TEMP TABLE night_person ON COMMIT DROP AS
SELECT DISTINCT ON (connection_id, customer_key) connection_id, customer_key, phone_e164
FROM (
    SELECT connection_id, source_id AS customer_key, phone_e164, 0 AS priority, source_changed_at
    FROM staging.customer
    WHERE NOT deleted
    UNION ALL
    SELECT connection_id, coalesce(customer_source_id, 'phone:' || phone_e164), phone_e164, 1, source_changed_at
    FROM staging.sale
    WHERE customer_source_id IS NOT NULL OR phone_e164 IS NOT NULL
) keys
ORDER BY connection_id, customer_key, (phone_e164 IS NULL), priority, source_changed_at DESC;

CREATE INDEX ON night_person (phone_e164);
ANALYZE night_person;

-- A local customer whose phone is now known, and belongs to nobody in the circle yet, keeps its id and
-- joins the circle (the lowest id, when two partners' local customers turn out to be one person).
UPDATE core.customer c
   SET phone_e164 = joining.phone_e164, home_connection_id = NULL
  FROM (
    SELECT DISTINCT ON (p.phone_e164) p.phone_e164, l.customer_id
      FROM night_person p
      JOIN core.customer_link l ON l.connection_id = p.connection_id AND l.customer_key = p.customer_key
      JOIN core.customer lc ON lc.id = l.customer_id AND lc.phone_e164 IS NULL AND lc.merged_into IS NULL
     WHERE p.phone_e164 IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM core.customer cc WHERE cc.phone_e164 = p.phone_e164)
     ORDER BY p.phone_e164, l.customer_id
  ) joining
 WHERE c.id = joining.customer_id;

-- New phones become new circle customers.
INSERT INTO core.customer (id, phone_e164, created_on)
SELECT (SELECT coalesce(max(id), 0) FROM core.customer) + row_number() OVER (ORDER BY phone_e164), phone_e164,
       CAST(:business_date AS date)
  FROM (SELECT DISTINCT p.phone_e164
          FROM night_person p
         WHERE p.phone_e164 IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM core.customer c WHERE c.phone_e164 = p.phone_e164)) new_phones;

-- A local customer that now has a circle customer's phone is merged into it.
UPDATE core.customer lc
   SET merged_into = target.id
  FROM night_person p
  JOIN core.customer_link l ON l.connection_id = p.connection_id AND l.customer_key = p.customer_key
  JOIN core.customer target ON target.phone_e164 = p.phone_e164
 WHERE lc.id = l.customer_id AND lc.phone_e164 IS NULL AND lc.merged_into IS NULL AND lc.id <> target.id;

-- Links follow the phone.
UPDATE core.customer_link l
   SET customer_id = c.id, linked_on = CAST(:business_date AS date)
  FROM night_person p
  JOIN core.customer c ON c.phone_e164 = p.phone_e164
 WHERE l.connection_id = p.connection_id AND l.customer_key = p.customer_key AND l.customer_id <> c.id;

INSERT INTO core.customer_link (connection_id, customer_key, customer_id, linked_on)
SELECT p.connection_id, p.customer_key, c.id, CAST(:business_date AS date)
  FROM night_person p
  JOIN core.customer c ON c.phone_e164 = p.phone_e164
ON CONFLICT (connection_id, customer_key) DO NOTHING;

-- Whoever has no usable phone stays a customer local to their partner.
CREATE TEMP TABLE night_local ON COMMIT DROP AS
SELECT p.connection_id, p.customer_key,
       (SELECT coalesce(max(id), 0) FROM core.customer) + row_number() OVER (ORDER BY p.connection_id, p.customer_key) AS id
  FROM night_person p
 WHERE p.phone_e164 IS NULL
   AND NOT EXISTS (SELECT 1 FROM core.customer_link l WHERE l.connection_id = p.connection_id AND l.customer_key = p.customer_key);

INSERT INTO core.customer (id, home_connection_id, created_on)
SELECT id, connection_id, CAST(:business_date AS date) FROM night_local;

INSERT INTO core.customer_link (connection_id, customer_key, customer_id, linked_on)
SELECT connection_id, customer_key, id, CAST(:business_date AS date) FROM night_local;
