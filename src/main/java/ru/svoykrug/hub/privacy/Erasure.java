package ru.svoykrug.hub.privacy;

import ru.svoykrug.hub.audit.Actor;
import ru.svoykrug.hub.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Erases a customer's personal data (152-FZ's right to erasure), in one transaction: their names and
 * phones in staging (cards, sales, payments) and their phone key in core are removed; the customer stays,
 * anonymous, with their purchases and points (for accounting), linked to no phone and no partner key.
 *
 * <p>A later sync must not bring the person back from the same partner records: each erased staging row
 * keeps its source change marker and {@code erased_at}, and staging takes such a row again only when the
 * partner changed it after (a newer marker; see the staging package's upsert). The erased sales and
 * payments name the customer as {@code erased:<id>}, a key linked to the anonymous customer alone, so the
 * record the partner changes or creates later (under its own client id or phone) makes a new customer and
 * leaves the old purchases where they are.
 */
@Component
public class Erasure {

    private static final Logger log = LoggerFactory.getLogger(Erasure.class);
    private final AuditTrail audit;

    /** What was erased: rows per table, no personal data. */
    public record Report(long customerId, Instant erasedAt, Map<String, Integer> rows) {
    }

    /** The customer is unknown, merged into another, or erased already. */
    public static class UnknownCustomerException extends RuntimeException {
        UnknownCustomerException() {
            super("No customer of the circle has this id (unknown, merged into another, or erased already)");
        }
    }

    /** A night is running: it reads what the erasure changes. */
    public static class NightRunningException extends RuntimeException {
        NightRunningException() {
            super("A night is running; erase after it ends");
        }
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public Erasure(JdbcTemplate jdbc, Clock clock, AuditTrail audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Erases the customer; {@code by} is who asked (the customer themself, or ops) and {@code channel} the
     * endpoint, for the audit: the staging triggers record the rows changed as theirs, and one ERASE entry
     * records the erasure, in its transaction.
     */
    @Transactional
    public Report erase(long customerId, Actor by, String channel) {
        // the night's lock (the nightly package's NightLock): no night reads staging half-erased
        if (!Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(hashtext('hub-night'))", Boolean.class))) {
            throw new NightRunningException();
        }
        jdbc.queryForList("SELECT set_config('audit.actor', ?, true), set_config('audit.role', ?, true), "
                + "set_config('audit.channel', ?, true)", by.subject(), by.role(), channel);
        List<Map<String, Object>> found = jdbc.queryForList(
                "SELECT merged_into, erased_at FROM core.customer WHERE id = ? FOR UPDATE", customerId);
        if (found.isEmpty() || found.get(0).get("merged_into") != null || found.get(0).get("erased_at") != null) {
            throw new UnknownCustomerException();
        }
        Instant now = clock.instant();
        java.sql.Timestamp at = java.sql.Timestamp.from(now);
        String erasedKey = "erased:" + customerId;
        Map<String, Integer> rows = new LinkedHashMap<>();
        // the customer and the local customers merged into it, and every key partners know them by
        jdbc.update("""
                CREATE TEMP TABLE erase_key ON COMMIT DROP AS
                SELECT l.connection_id, l.customer_key
                  FROM core.customer_link l JOIN core.customer c ON c.id = l.customer_id
                 WHERE c.id = ? OR c.merged_into = ?""", customerId, customerId);
        rows.put("staging.customer", jdbc.update("""
                UPDATE staging.customer t
                   SET name_sealed = NULL, phone_sealed = NULL, phone_key = NULL, pd_fingerprint = NULL, erased_at = ?
                  FROM erase_key k
                 WHERE t.connection_id = k.connection_id AND t.source_id = k.customer_key""", at));
        for (String table : List.of("staging.sale", "staging.payment")) {
            rows.put(table, jdbc.update("UPDATE " + table + " t"
                    + "   SET customer_source_id = ?, phone_key = NULL, phone_sealed = NULL, erased_at = ?"
                    + "  FROM erase_key k"
                    + " WHERE t.connection_id = k.connection_id"
                    + "   AND coalesce(t.customer_source_id, 'phone:' || t.phone_key) = k.customer_key", erasedKey, at));
        }
        // the same person staged since the last night, not linked yet (any partner): known by the phone's key alone
        jdbc.update("""
                CREATE TEMP TABLE erase_phone ON COMMIT DROP AS
                SELECT DISTINCT phone_key FROM core.customer WHERE (id = ? OR merged_into = ?) AND phone_key IS NOT NULL""",
                customerId, customerId);
        rows.merge("staging.customer", jdbc.update("""
                UPDATE staging.customer
                   SET name_sealed = NULL, phone_sealed = NULL, phone_key = NULL, pd_fingerprint = NULL, erased_at = ?
                 WHERE phone_key IN (SELECT phone_key FROM erase_phone)""", at), Integer::sum);
        for (String table : List.of("staging.sale", "staging.payment")) {
            rows.merge(table, jdbc.update("UPDATE " + table + " SET phone_key = NULL, phone_sealed = NULL, erased_at = ?"
                    + " WHERE phone_key IN (SELECT phone_key FROM erase_phone)", at), Integer::sum);
        }
        // the erased sales' purchases stay the customer's through one key per partner that no record has
        jdbc.update("""
                INSERT INTO core.customer_link (connection_id, customer_key, customer_id, linked_on)
                SELECT DISTINCT connection_id, ?, ?, current_date FROM erase_key
                ON CONFLICT (connection_id, customer_key) DO NOTHING""", erasedKey, customerId);
        rows.put("core.customer_link", jdbc.update("""
                DELETE FROM core.customer_link l USING erase_key k
                 WHERE l.connection_id = k.connection_id AND l.customer_key = k.customer_key"""));
        rows.put("core.customer", jdbc.update(
                "UPDATE core.customer SET phone_key = NULL, erased_at = ? WHERE id = ? OR merged_into = ?", at, customerId, customerId));
        // an erased customer is no customer of the API any more: their kept answer no longer counts (V36)
        jdbc.queryForList("SELECT core.customers_changed(ARRAY[CAST(? AS bigint)])", customerId);
        return completed(new Report(customerId, now, rows), by, channel);
    }

    /** Where every erasure ends, committed with it (the audit of erasures belongs here). */
    private Report completed(Report report, Actor by, String channel) {
        List<String> fields = new java.util.ArrayList<>(List.of("name", "phone"));
        report.rows().forEach((table, count) -> {
            if (count > 0) {
                fields.add(table);
            }
        });
        audit.erased(by, report.customerId(), channel, fields);
        log.info("Erased the personal data of customer {} (asked by {} {}): {}", report.customerId(), by.role(), by.subject(),
                report.rows());
        return report;
    }
}
