package ru.svoykrug.hub.nightly;

import ru.svoykrug.hub.privacy.StoredPersonalData;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.connections.ConnectionService;

import java.time.LocalDate;
import java.time.ZoneId;

/** What partner systems said, written straight into staging, for the night to work on. */
public final class StagingFixture {

    private final JdbcTemplate jdbc;
    private final String connectionId;
    private final ZoneId zone = ZoneId.of("Europe/Moscow");
    private int nextId = 1;

    private StagingFixture(JdbcTemplate jdbc, String connectionId) {
        this.jdbc = jdbc;
        this.connectionId = connectionId;
    }

    /** A partner of system 'file' (no route, no schedule) for the test's own data. */
    public static StagingFixture partner(ConnectionService connections, JdbcTemplate jdbc, String connectionId) {
        connections.ensure(TestConnections.file(connectionId, "Partner " + connectionId, "Europe/Moscow"));
        return new StagingFixture(jdbc, connectionId);
    }

    public String connectionId() {
        return connectionId;
    }

    public StagingFixture customer(String ref, String phone) {
        jdbc.update("""
                INSERT INTO staging.customer (connection_id, source_id, phone_key, phone_sealed, source_changed_at)
                VALUES (?, ?, ?, ?, now())
                ON CONFLICT (connection_id, source_id) DO UPDATE SET phone_key = EXCLUDED.phone_key,
                       phone_sealed = EXCLUDED.phone_sealed, source_changed_at = EXCLUDED.source_changed_at""",
                connectionId, ref, phone == null ? null : StoredPersonalData.phoneKey(phone),
                phone == null ? null : StoredPersonalData.sealedPhone(phone));
        return this;
    }

    /** A completed sale at noon local time of the day; returns its source id. */
    public String sale(String customerRef, LocalDate day, long roubles) {
        String id = "s" + nextId++;
        jdbc.update("""
                INSERT INTO staging.sale (connection_id, source_id, kind, status, customer_source_id, phone_key, occurred_at, zone,
                                          amount_kopecks, source_changed_at)
                VALUES (?, ?, 'SALE', 'COMPLETED', ?, NULL, ?, ?, ?, now())""",
                connectionId, id, customerRef, java.sql.Timestamp.from(day.atTime(12, 0).atZone(zone).toInstant()), zone.getId(),
                roubles * 100);
        return id;
    }

    public void setStatus(String saleId, String status) {
        jdbc.update("UPDATE staging.sale SET status = ?, source_changed_at = now() WHERE connection_id = ? AND source_id = ?",
                status, connectionId, saleId);
    }

    /** A refund of the sale, in the shape every connector stages one: a negative payment naming it. Returns its id. */
    public String refund(String saleId, LocalDate day, long roubles) {
        String id = "r" + nextId++;
        jdbc.update("""
                INSERT INTO staging.payment (connection_id, source_id, sale_source_id, occurred_at, zone, amount_kopecks, source_changed_at)
                VALUES (?, ?, ?, ?, ?, ?, now())""",
                connectionId, id, saleId, java.sql.Timestamp.from(day.atTime(15, 0).atZone(zone).toInstant()),
                zone.getId(), -roubles * 100);
        return id;
    }

    /** The vendor cancelled, un-posted or deleted the payment (a refund that no longer counts). */
    public void deletePayment(String paymentId) {
        jdbc.update("UPDATE staging.payment SET deleted = true, source_changed_at = now() WHERE connection_id = ? AND source_id = ?",
                connectionId, paymentId);
    }

    /** A positive payment naming the sale: money in, which never changes points. */
    public void payment(String saleId, LocalDate day, long roubles) {
        jdbc.update("""
                INSERT INTO staging.payment (connection_id, source_id, sale_source_id, occurred_at, zone, amount_kopecks, source_changed_at)
                VALUES (?, ?, ?, ?, ?, ?, now())""",
                connectionId, "p" + nextId++, saleId, java.sql.Timestamp.from(day.atTime(13, 0).atZone(zone).toInstant()),
                zone.getId(), roubles * 100);
    }

    /** A sale of nobody the partner knows (no client, no phone): a counter sale to a passer-by. Returns its id. */
    public String anonymousSale(LocalDate day, long roubles) {
        String id = "s" + nextId++;
        jdbc.update("""
                INSERT INTO staging.sale (connection_id, source_id, kind, status, customer_source_id, phone_key, occurred_at, zone,
                                          amount_kopecks, source_changed_at)
                VALUES (?, ?, 'SALE', 'COMPLETED', NULL, NULL, ?, ?, ?, now())""",
                connectionId, id, java.sql.Timestamp.from(day.atTime(12, 0).atZone(zone).toInstant()), zone.getId(), roubles * 100);
        return id;
    }

    /** The circle customer id the night gave the partner's client. */
    public long customerId(String ref) {
        return jdbc.queryForObject("""
                SELECT coalesce(c.merged_into, c.id) FROM core.customer_link l JOIN core.customer c ON c.id = l.customer_id
                 WHERE l.connection_id = ? AND l.customer_key = ?""", Long.class, connectionId, ref);
    }

    public Balance balance(String ref) {
        long customer = customerId(ref);
        return jdbc.queryForObject("""
                SELECT coalesce(sum(l.pending_delta), 0), coalesce(sum(l.active_delta), 0)
                  FROM core.points_ledger l JOIN core.customer c ON c.id = l.customer_id
                 WHERE coalesce(c.merged_into, c.id) = ?""",
                (rs, n) -> new Balance(rs.getLong(1), rs.getLong(2)), customer);
    }

    public long ledgerSum(String saleId, String entryType) {
        return jdbc.queryForObject("""
                SELECT coalesce(sum(pending_delta + active_delta), 0) FROM core.points_ledger
                 WHERE connection_id = ? AND source_id = ? AND entry_type = ?""", Long.class, connectionId, saleId, entryType);
    }

    public record Balance(long pending, long active) {
    }
}
