-- A sixth partner system: Bitrix24 (connect/bitrix24). The list of systems a connection may name grows by one.
ALTER TABLE ops.partner_connection DROP CONSTRAINT partner_connection_system_check;
ALTER TABLE ops.partner_connection ADD CONSTRAINT partner_connection_system_check
    CHECK (system IN ('yclients', 'amocrm', 'iiko', 'onec', 'renovatio', 'bitrix24', 'file'));
