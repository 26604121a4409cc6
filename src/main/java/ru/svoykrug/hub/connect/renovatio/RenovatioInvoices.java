package ru.svoykrug.hub.connect.renovatio;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Which appointment each Renovatio invoice bills. Invoices and payments are separate streams read side
 * by side, so a payment that names only its invoice may come first: it is staged naming
 * {@code invoice-<id>}, and when the invoice comes, such payments are moved to its appointment. The
 * invoices' transaction and each payments page's transaction take one lock of the connection before
 * they look at the other side, so whichever commits second sees the first: no payment is left naming
 * an invoice whose appointment is known.
 */
@Repository
class RenovatioInvoices {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    RenovatioInvoices(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Invoice id to appointment id, for the invoices known that bill an appointment. */
    Map<String, String> appointments(String connectionId, Collection<String> invoiceIds) {
        Map<String, String> found = new HashMap<>();
        if (invoiceIds.isEmpty()) {
            return found;
        }
        jdbc.query(con -> {
            var ps = con.prepareStatement("SELECT invoice_id, appointment_id FROM staging.renovatio_invoice "
                    + "WHERE connection_id = ? AND invoice_id = ANY (?) AND appointment_id IS NOT NULL");
            ps.setString(1, connectionId);
            ps.setArray(2, con.createArrayOf("text", invoiceIds.toArray()));
            return ps;
        }, rs -> {
            found.put(rs.getString(1), rs.getString(2));
        });
        return found;
    }

    /** In a payments page's transaction: its payments staged under an invoice now known move to the invoice's appointment. */
    void settle(JdbcTemplate pageJdbc, String connectionId, java.util.List<ru.svoykrug.hub.staging.StagedPage.PaymentRow> payments) {
        Object[] underInvoices = payments.stream().filter(p -> p.saleSourceId() != null && p.saleSourceId().startsWith("invoice-"))
                .map(ru.svoykrug.hub.staging.StagedPage.PaymentRow::sourceId).distinct().toArray();
        if (underInvoices.length == 0) {
            return;
        }
        pageJdbc.execute((Connection con) -> {
            lock(con, connectionId);
            try (var ps = con.prepareStatement("""
                    UPDATE staging.payment p SET sale_source_id = l.appointment_id, updated_at = now()
                      FROM staging.renovatio_invoice l
                     WHERE p.connection_id = ? AND p.source_id = ANY (?) AND l.connection_id = p.connection_id
                       AND p.sale_source_id = 'invoice-' || l.invoice_id AND l.appointment_id IS NOT NULL
                    """)) {
                ps.setString(1, connectionId);
                ps.setArray(2, con.createArrayOf("text", underInvoices));
                return ps.executeUpdate();
            }
        });
    }

    /** Takes the connection's invoice lock for the rest of the current transaction. */
    void lock(JdbcTemplate pageJdbc, String connectionId) {
        pageJdbc.execute((Connection con) -> {
            lock(con, connectionId);
            return null;
        });
    }

    private static void lock(Connection con, String connectionId) throws java.sql.SQLException {
        try (var ps = con.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('renovatio-invoices:' || ?))")) {
            ps.setString(1, connectionId);
            ps.execute();
        }
    }

    /** Remembers invoices (id to appointment id or null) and moves payments staged under them to their appointment. */
    void remember(String connectionId, Map<String, String> links) {
        if (links.isEmpty()) {
            return;
        }
        tx.executeWithoutResult(status -> jdbc.execute((Connection con) -> {
            lock(con, connectionId);
            var ids = con.createArrayOf("text", links.keySet().toArray());
            var appointments = con.createArrayOf("text", links.values().toArray());
            try (var ps = con.prepareStatement("""
                    INSERT INTO staging.renovatio_invoice AS t (connection_id, invoice_id, appointment_id)
                    SELECT ?, s.invoice_id, s.appointment_id FROM unnest(?::text[], ?::text[]) AS s(invoice_id, appointment_id)
                    ON CONFLICT (connection_id, invoice_id) DO UPDATE
                       SET appointment_id = EXCLUDED.appointment_id, seen_at = now()
                     WHERE t.appointment_id IS DISTINCT FROM EXCLUDED.appointment_id
                    """)) {
                ps.setString(1, connectionId);
                ps.setArray(2, ids);
                ps.setArray(3, appointments);
                ps.executeUpdate();
            }
            try (var ps = con.prepareStatement("""
                    UPDATE staging.payment p SET sale_source_id = s.appointment_id, updated_at = now()
                      FROM unnest(?::text[], ?::text[]) AS s(invoice_id, appointment_id)
                     WHERE p.connection_id = ? AND p.sale_source_id = 'invoice-' || s.invoice_id
                       AND s.appointment_id IS NOT NULL
                    """)) {
                ps.setArray(1, ids);
                ps.setArray(2, appointments);
                ps.setString(3, connectionId);
                ps.executeUpdate();
            }
            return null;
        }));
    }
}
