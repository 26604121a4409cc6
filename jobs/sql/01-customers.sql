-- Step 1 of the night: one customer per person across partners, matched by phone: by the phone's blind
-- index (phone_key, a keyed hash of the E.164 phone: the same phone has the same key at every partner).
-- Parameters: :business_date. Idempotent: a second run finds nothing new to create or relink.

-- What this step has not read yet: staged rows written at or after its mark, :read_from (see the V5
-- migration; 0 on a first night, which reads everything). Its next mark is :snapshot_xmin.

-- The people those rows name (a sale without a client id names its phone).
CREATE TEMP TABLE night_key ON COMMIT DROP AS
SELECT connection_id, source_id AS customer_key
  FROM staging.customer
 WHERE changed_xid >= CAST(:read_from AS xid8)
   AND erased_at IS NULL -- (an erased card names nobody: its person was anonymised)
UNION
SELECT connection_id, customer_key
  FROM (-- grouped first: a client has many sales, and the planner knows how many clients (from the
        -- index on the key) where it would guess ten million for the union and sort them all
        SELECT connection_id, coalesce(customer_source_id, 'phone:' || phone_key) AS customer_key
          FROM staging.sale
         WHERE changed_xid >= CAST(:read_from AS xid8)
           AND (customer_source_id IS NOT NULL OR phone_key IS NOT NULL)
         GROUP BY 1, 2) sold;

-- Each with the phone we know for them: the client card's phone first, else the newest phone on their
-- sales. A known person for whom no phone turns up stays as they are.
CREATE TEMP TABLE night_person ON COMMIT DROP AS
SELECT connection_id, customer_key, phone_key
  FROM (SELECT k.connection_id, k.customer_key,
               -- (coalesce stops at the card's phone: the sales are looked at only without one)
               coalesce(card.phone_key,
                        (SELECT s.phone_key
                           FROM staging.sale s
                          WHERE s.connection_id = k.connection_id
                            AND coalesce(s.customer_source_id, 'phone:' || s.phone_key) = k.customer_key
                            AND s.phone_key IS NOT NULL
                          ORDER BY s.source_changed_at DESC
                          LIMIT 1)) AS phone_key
          FROM night_key k
          LEFT JOIN staging.customer card
                 ON card.connection_id = k.connection_id AND card.source_id = k.customer_key AND NOT card.deleted) p
 WHERE phone_key IS NOT NULL
    OR NOT EXISTS (SELECT 1 FROM core.customer_link l WHERE l.connection_id = p.connection_id AND l.customer_key = p.customer_key);

CREATE INDEX ON night_person (phone_key);
ANALYZE night_person;

-- A local customer whose phone is now known, and belongs to nobody in the circle yet, keeps its id and
-- joins the circle (the lowest id, when two partners' local customers turn out to be one person).
UPDATE core.customer c
   SET phone_key = joining.phone_key, home_connection_id = NULL
  FROM (
    SELECT DISTINCT ON (p.phone_key) p.phone_key, l.customer_id
      FROM night_person p
      JOIN core.customer_link l ON l.connection_id = p.connection_id AND l.customer_key = p.customer_key
      JOIN core.customer lc ON lc.id = l.customer_id AND lc.phone_key IS NULL AND lc.merged_into IS NULL
                           AND lc.erased_at IS NULL
     WHERE p.phone_key IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM core.customer cc WHERE cc.phone_key = p.phone_key)
     ORDER BY p.phone_key, l.customer_id
  ) joining
 WHERE c.id = joining.customer_id;

-- New phones become new circle customers.
SELECT core.suspend_indexes_if_empty('core.customer');

INSERT INTO core.customer (id, phone_key, created_on)
SELECT (SELECT coalesce(max(id), 0) FROM core.customer) + row_number() OVER (ORDER BY phone_key), phone_key,
       CAST(:business_date AS date)
  FROM (SELECT DISTINCT p.phone_key
          FROM night_person p
         WHERE p.phone_key IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM core.customer c WHERE c.phone_key = p.phone_key)) new_phones;

SELECT core.restore_indexes();

-- A local customer that now has a circle customer's phone is merged into it.
UPDATE core.customer lc
   SET merged_into = target.id
  FROM night_person p
  JOIN core.customer_link l ON l.connection_id = p.connection_id AND l.customer_key = p.customer_key
  JOIN core.customer target ON target.phone_key = p.phone_key
 WHERE lc.id = l.customer_id AND lc.phone_key IS NULL AND lc.merged_into IS NULL AND lc.erased_at IS NULL
   AND lc.id <> target.id;

-- Links follow the phone; the purchases step moves the key's purchases along.
UPDATE core.customer_link l
   SET customer_id = c.id, linked_on = CAST(:business_date AS date), relinked_xid = pg_current_xact_id()
  FROM night_person p
  JOIN core.customer c ON c.phone_key = p.phone_key
 WHERE l.connection_id = p.connection_id AND l.customer_key = p.customer_key AND l.customer_id <> c.id;

-- Whoever has no usable phone stays a customer local to their partner.
CREATE TEMP TABLE night_local ON COMMIT DROP AS
SELECT p.connection_id, p.customer_key,
       (SELECT coalesce(max(id), 0) FROM core.customer) + row_number() OVER (ORDER BY p.connection_id, p.customer_key) AS id
  FROM night_person p
 WHERE p.phone_key IS NULL
   AND NOT EXISTS (SELECT 1 FROM core.customer_link l WHERE l.connection_id = p.connection_id AND l.customer_key = p.customer_key);

INSERT INTO core.customer (id, home_connection_id, created_on)
SELECT id, connection_id, CAST(:business_date AS date) FROM night_local;

-- New links, found while the link table's key can still find the known ones.
CREATE TEMP TABLE night_new_link ON COMMIT DROP AS
SELECT p.connection_id, p.customer_key, c.id AS customer_id
  FROM night_person p
  JOIN core.customer c ON c.phone_key = p.phone_key
 WHERE NOT EXISTS (SELECT 1 FROM core.customer_link l WHERE l.connection_id = p.connection_id AND l.customer_key = p.customer_key)
UNION ALL
SELECT connection_id, customer_key, id FROM night_local;

SELECT core.suspend_indexes_if_empty('core.customer_link');

INSERT INTO core.customer_link (connection_id, customer_key, customer_id, linked_on)
SELECT connection_id, customer_key, customer_id, CAST(:business_date AS date) FROM night_new_link;

SELECT core.restore_indexes();

INSERT INTO core.night_mark (step, read_from, business_date)
VALUES ('customers', CAST(:snapshot_xmin AS xid8), CAST(:business_date AS date))
ON CONFLICT (step) DO UPDATE SET read_from = EXCLUDED.read_from, business_date = EXCLUDED.business_date, marked_at = now();
