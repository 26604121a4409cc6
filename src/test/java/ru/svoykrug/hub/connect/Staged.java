package ru.svoykrug.hub.connect;

import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.simulate.amocrm.AmocrmTruth;
import ru.svoykrug.hub.simulate.bitrix24.Bitrix24Truth;
import ru.svoykrug.hub.simulate.iiko.IikoTruth;
import ru.svoykrug.hub.simulate.onec.OnecTruth;
import ru.svoykrug.hub.simulate.renovatio.RenovatioTruth;
import ru.svoykrug.hub.simulate.yclients.YclientsTruth;

import java.util.Collections;

/**
 * What staging holds for one connection, in the terms of the simulators' truths: the one reader of staging
 * the sync tests compare with a truth ({@code of(jdbc, id)} against {@code of(truth)}). Staging is read in one
 * of two ways: as sale and payment rows ({@link #of(JdbcTemplate, String)}, every system but 1C), or as 1C's
 * receipts ({@link #receipts}), where a receipt is a sale row or, for a return, a payment row, and the
 * payments counted are the returns, as money returned. A system with no customers, or no payments, of its own
 * has zeros there in its truth's terms. A new system adds its {@code of(<System>Truth)} below.
 */
public record Staged(int customers, int saleRows, int completedSales, long completedSalesKopecks, int payments,
                     long paymentsKopecks) {

    /** Sales and payments, each in rows of their own. */
    private static final Reading ROWS = new Reading("SELECT source_id FROM staging.sale WHERE connection_id = ?",
            "", "", "sum(amount_kopecks)");
    /** 1C's receipts: a receipt re-typed leaves its other row void, so a receipt is counted once whichever row it is. */
    private static final Reading RECEIPTS = new Reading("""
            SELECT source_id FROM staging.sale WHERE connection_id = ?
             UNION SELECT source_id FROM staging.payment WHERE connection_id = ?""",
            "AND kind = 'SALE'", "AND amount_kopecks < 0", "-sum(amount_kopecks)");

    public static Staged of(JdbcTemplate jdbc, String connectionId) {
        return ROWS.read(jdbc, connectionId);
    }

    public static Staged receipts(JdbcTemplate jdbc, String connectionId) {
        return RECEIPTS.read(jdbc, connectionId);
    }

    public static Staged of(YclientsTruth truth) {
        return new Staged(truth.customers(), truth.saleRows(), truth.completedSales(), truth.completedSalesKopecks(),
                truth.payments(), truth.paymentsKopecks());
    }

    public static Staged of(RenovatioTruth truth) {
        return new Staged(truth.customers(), truth.saleRows(), truth.completedSales(), truth.completedSalesKopecks(),
                truth.payments(), truth.paymentsKopecks());
    }

    /** With {@link #receipts}: receipts, completed sales, and completed returns as payments. */
    public static Staged of(OnecTruth truth) {
        return new Staged(truth.customers(), truth.receiptRows(), truth.completedSales(), truth.completedSalesKopecks(),
                truth.completedRefunds(), truth.completedRefundsKopecks());
    }

    public static Staged of(AmocrmTruth truth) {
        return new Staged(truth.customers(), truth.saleRows(), truth.completedSales(), truth.completedSalesKopecks(), 0, 0);
    }

    /** iiko's deliveries carry their guest's phone: no customers of their own. */
    public static Staged of(IikoTruth truth) {
        return new Staged(0, truth.saleRows(), truth.completedSales(), truth.completedSalesKopecks(), 0, 0);
    }

    /** Bitrix24's won deals are sales; its portal has no payments of its own. */
    public static Staged of(Bitrix24Truth truth) {
        return new Staged(truth.customers(), truth.saleRows(), truth.completedSales(), truth.completedSalesKopecks(), 0, 0);
    }

    /** One way of counting: the rows that are records, what more a completed sale is, what more a payment is, its money. */
    private record Reading(String rows, String completedSale, String payment, String paymentsKopecks) {

        Staged read(JdbcTemplate jdbc, String connectionId) {
            String sql = """
                    SELECT (SELECT count(*) FROM staging.customer WHERE connection_id = ?),
                           (SELECT count(*) FROM (%s) r),
                           (SELECT count(*) FROM staging.sale WHERE connection_id = ? AND status = 'COMPLETED' %s),
                           (SELECT coalesce(sum(amount_kopecks), 0) FROM staging.sale
                             WHERE connection_id = ? AND status = 'COMPLETED' %s),
                           (SELECT count(*) FROM staging.payment WHERE connection_id = ? AND NOT deleted %s),
                           (SELECT coalesce(%s, 0) FROM staging.payment WHERE connection_id = ? AND NOT deleted %s)
                    """.formatted(rows, completedSale, completedSale, payment, paymentsKopecks, payment);
            Object[] ids = Collections.nCopies((int) sql.chars().filter(c -> c == '?').count(), connectionId).toArray();
            return jdbc.queryForObject(sql, (rs, n) -> new Staged(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getLong(4),
                    rs.getInt(5), rs.getLong(6)), ids);
        }
    }
}
