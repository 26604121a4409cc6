-- Dead letters: one row per (connection, stream, source record), and no copy of the record.
-- A record re-read in an overlap window or after a resumed run used to add a row each time; now a
-- re-read updates its row's reason, failing fields, read count, last-seen time and run. A record
-- without a usable source id is keyed by a digest of its content (record_key). The payload column,
-- which copied records (names, phones, titles) into the table, is dropped: an operator finds a
-- record in the partner's system by its source id.
ALTER TABLE ops.dead_letter
    ADD COLUMN record_key   text,
    ADD COLUMN fields       text,
    ADD COLUMN read_count   integer NOT NULL DEFAULT 1,
    ADD COLUMN last_seen_at timestamptz;

UPDATE ops.dead_letter
   SET record_key = coalesce(source_id, 'legacy:' || id),
       last_seen_at = created_at,
       fields = split_part(reason, ' ', 1),
       -- reasons used to quote the value that failed ('...'): a value may be personal, so it goes
       reason = regexp_replace(reason, '''[^'']*''', '(value not kept)', 'g');

-- Rows of one record collapse into its newest, which counts them all.
WITH ranked AS (
    SELECT id, count(*) OVER w AS reads, min(created_at) OVER w AS first_seen,
           row_number() OVER (w ORDER BY id DESC) AS newest
      FROM ops.dead_letter
    WINDOW w AS (PARTITION BY connection_id, stream, record_key)
)
UPDATE ops.dead_letter d
   SET read_count = r.reads, created_at = r.first_seen
  FROM ranked r
 WHERE d.id = r.id AND r.newest = 1;

DELETE FROM ops.dead_letter d
 USING (SELECT id, row_number() OVER (PARTITION BY connection_id, stream, record_key ORDER BY id DESC) AS newest
          FROM ops.dead_letter) r
 WHERE d.id = r.id AND r.newest > 1;

ALTER TABLE ops.dead_letter
    DROP COLUMN payload,
    ALTER COLUMN record_key SET NOT NULL,
    ALTER COLUMN last_seen_at SET NOT NULL,
    ALTER COLUMN last_seen_at SET DEFAULT now();

COMMENT ON COLUMN ops.dead_letter.created_at IS 'when the record was first rejected';
COMMENT ON COLUMN ops.dead_letter.sync_run_id IS 'the last run that rejected the record';

CREATE UNIQUE INDEX dead_letter_per_record ON ops.dead_letter (connection_id, stream, record_key);

-- 1C receipts staged as returns (kind REFUND) before a return became a negative payment naming its
-- sale: forget their DataVersion, so the rolling window stages them again in the new shape.
DELETE FROM ops.onec_data_version v
 USING staging.sale s
 WHERE s.kind = 'REFUND' AND v.connection_id = s.connection_id AND v.ref_key = s.source_id;

-- Renovatio invoices and the appointment each bills (null: an invoice of its own, a sale by itself), so a
-- payment that names only its invoice finds its sale, whichever of the two streams is read first.
CREATE TABLE staging.renovatio_invoice (
    connection_id  text        NOT NULL REFERENCES ops.partner_connection (id) ON DELETE CASCADE,
    invoice_id     text        NOT NULL,
    appointment_id text,
    seen_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, invoice_id)
);
