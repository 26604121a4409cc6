-- A partner's id, for the partner role's tokens and the partner API's paths: the partner's name as a
-- slug ("Steam Center" -> steam-center), the same for every connection of one partner. A name with no
-- Latin letter or digit gets a stable id from its hash. Generated, so configuration keeps naming
-- partners as it does and no writer can disagree with it.
ALTER TABLE ops.partner_connection
    ADD COLUMN partner_id text GENERATED ALWAYS AS (
        coalesce(nullif(lower(trim(BOTH '-' FROM regexp_replace(partner, '[^A-Za-z0-9]+', '-', 'g'))), ''),
                 'p-' || substr(md5(partner), 1, 10))) STORED;

CREATE INDEX partner_connection_by_partner ON ops.partner_connection (partner_id);
