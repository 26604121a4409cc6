package ru.svoykrug.hub.connections;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Repository
public class ConnectionRepository {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final CredentialVault vault;
    private final JsonMapper json;

    public ConnectionRepository(JdbcTemplate jdbc, CredentialVault vault, JsonMapper json) {
        this.jdbc = jdbc;
        this.vault = vault;
        this.json = json;
    }

    /** Creates the connection, or leaves an existing one as it is; returns whether it was created. */
    public boolean createIfAbsent(ConnectionDefinition d) {
        validate(d);
        int created = jdbc.update("""
                INSERT INTO ops.partner_connection (id, partner, system, zone, medical, schedule, settings, credentials)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT (id) DO NOTHING""",
                d.id(), d.partner(), d.system(), d.zone(), d.medical(), d.schedule(),
                json.writeValueAsString(d.settings()), vault.encrypt(d.id(), json.writeValueAsString(d.credentials())));
        return created == 1;
    }

    /** Creates a connection made through the partner API (origin {@code api}); false when the id is taken. */
    public boolean createFromApi(ConnectionDefinition d) {
        validate(d);
        int created = jdbc.update("""
                INSERT INTO ops.partner_connection (id, partner, system, zone, medical, schedule, settings, credentials, origin)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, 'api')
                ON CONFLICT (id) DO NOTHING""",
                d.id(), d.partner(), d.system(), d.zone(), d.medical(), d.schedule(),
                json.writeValueAsString(d.settings()), vault.encrypt(d.id(), json.writeValueAsString(d.credentials())));
        return created == 1;
    }

    /** The connections of one partner (by its id, the slug of its name), deleted ones included. */
    public List<PartnerConnection> findByPartner(String partnerId) {
        return jdbc.query(SELECT + " WHERE partner_id = ? ORDER BY id", this::map, partnerId);
    }

    /** The partner id (slug of the partner's name) a connection belongs to. */
    public Optional<String> partnerIdOf(String connectionId) {
        return jdbc.queryForList("SELECT partner_id FROM ops.partner_connection WHERE id = ?", String.class, connectionId)
                .stream().findFirst();
    }

    /** The partner's name as its connections state it, when it has any. */
    public Optional<String> partnerName(String partnerId) {
        return jdbc.queryForList("SELECT partner FROM ops.partner_connection WHERE partner_id = ? ORDER BY created_at LIMIT 1",
                String.class, partnerId).stream().findFirst();
    }

    /** Stops a connection for good and forgets its credentials; the row stays, for what references it. */
    public void markDeleted(String id) {
        jdbc.update("""
                UPDATE ops.partner_connection
                   SET status = 'DELETED', status_message = 'Deleted through the partner API', deleted_at = now(),
                       credentials = ?, webhook_secret_sha256 = NULL, updated_at = now()
                 WHERE id = ?""", vault.encrypt(id, "{}"), id);
    }

    /** Replaces settings and credentials; new credentials give a rejected connection another chance. */
    public void update(ConnectionDefinition d) {
        validate(d);
        jdbc.update("""
                UPDATE ops.partner_connection
                   SET partner = ?, zone = ?, medical = ?, schedule = ?, settings = ?::jsonb, credentials = ?,
                       status = 'ACTIVE', status_message = NULL, updated_at = now()
                 WHERE id = ?""",
                d.partner(), d.zone(), d.medical(), d.schedule(), json.writeValueAsString(d.settings()),
                vault.encrypt(d.id(), json.writeValueAsString(d.credentials())), d.id());
        // the customer API's kept answers name the partners its customers visited (V36)
        jdbc.queryForList("SELECT core.answers_outdated('partners')");
    }

    public Optional<PartnerConnection> find(String id) {
        return jdbc.query(SELECT + " WHERE id = ?", this::map, id).stream().findFirst();
    }

    public List<PartnerConnection> findAll() {
        return jdbc.query(SELECT + " ORDER BY id", this::map);
    }

    public Map<String, String> credentials(String id) {
        byte[] blob = jdbc.queryForObject("SELECT credentials FROM ops.partner_connection WHERE id = ?", byte[].class, id);
        return json.readValue(vault.decrypt(id, blob), STRING_MAP);
    }

    /**
     * Stores new credentials of a connection (a rotated OAuth token pair), encrypted, in a transaction of
     * its own: call it before using what it stores, so a crash right after cannot lose them.
     */
    public void replaceCredentials(String id, Map<String, String> credentials) {
        jdbc.update("UPDATE ops.partner_connection SET credentials = ?, updated_at = now() WHERE id = ?",
                vault.encrypt(id, json.writeValueAsString(credentials)), id);
    }

    public void updateStatus(String id, ConnectionStatus status, String message) {
        jdbc.update("UPDATE ops.partner_connection SET status = ?, status_message = ?, updated_at = now() WHERE id = ?",
                status.name(), message, id);
    }

    private static final String SELECT =
            "SELECT id, partner, system, zone, medical, schedule, settings::text AS settings, status, status_message "
                    + "FROM ops.partner_connection";

    private PartnerConnection map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new PartnerConnection(rs.getString("id"), rs.getString("partner"), rs.getString("system"),
                ZoneId.of(rs.getString("zone")), rs.getBoolean("medical"), rs.getString("schedule"),
                json.readValue(rs.getString("settings"), STRING_MAP), ConnectionStatus.valueOf(rs.getString("status")),
                rs.getString("status_message"));
    }

    private static void validate(ConnectionDefinition d) {
        try {
            ZoneId.of(d.zone());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Unknown time zone '" + d.zone() + "'");
        }
        if (!org.quartz.CronExpression.isValidExpression(d.schedule())) {
            throw new IllegalArgumentException("Schedule '" + d.schedule() + "' is not a Quartz cron expression");
        }
    }
}
