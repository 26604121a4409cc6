-- Personal data at rest (issue 13): names and phones are kept sealed (Tink AEAD) and phones matched by
-- their blind index (a keyed hash, the privacy package's PhoneIndex). The columns that held E.164
-- phones hold the blind index now (phone_key): every expression and index that matched phones matches
-- keys the same way (a renamed column's indexes follow it). Rows staged before this migration still hold
-- plain values here: V20 (a Java migration, it needs the keys) seals them and drops legacy_name.

-- The personal data's keysets, each encrypted under the hub's master key.
CREATE TABLE ops.personal_data_keyset (
    purpose     text PRIMARY KEY,
    keyset      bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    rotated_at  timestamptz
);

ALTER TABLE staging.customer RENAME COLUMN phone_e164 TO phone_key;
ALTER TABLE staging.customer RENAME COLUMN name TO legacy_name;
ALTER TABLE staging.customer
    ADD COLUMN name_sealed    bytea,
    ADD COLUMN phone_sealed   bytea,
    -- a keyed hash of the row's name and phone: a re-read tells a change without opening the sealed ones
    ADD COLUMN pd_fingerprint text,
    -- the person was erased: the row keeps its change marker, and only a newer change of the record
    -- (which clears this) is staged again
    ADD COLUMN erased_at      timestamptz;

ALTER TABLE staging.sale RENAME COLUMN phone_e164 TO phone_key;
ALTER TABLE staging.sale ADD COLUMN phone_sealed bytea, ADD COLUMN erased_at timestamptz;

ALTER TABLE staging.payment RENAME COLUMN phone_e164 TO phone_key;
ALTER TABLE staging.payment ADD COLUMN phone_sealed bytea, ADD COLUMN erased_at timestamptz;

-- A customer's phone key; an erased customer has none, and the night never gives it one again.
ALTER TABLE core.customer RENAME COLUMN phone_e164 TO phone_key;
ALTER TABLE core.customer ADD COLUMN erased_at timestamptz;
