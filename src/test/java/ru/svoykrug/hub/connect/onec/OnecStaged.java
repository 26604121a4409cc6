package ru.svoykrug.hub.connect.onec;

import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.simulate.onec.OnecTruth;

/** What staging holds for one 1C connection, in the terms of the simulator's truth. */
record OnecStaged(int customers, int receiptRows, int completedSales, long completedSalesKopecks,
                  int completedRefunds, long completedRefundsKopecks) {

    static OnecStaged of(JdbcTemplate jdbc, String connectionId) {
        // a receipt is a sale row or, for a return, a payment row (a receipt re-typed leaves its other row void)
        return jdbc.queryForObject("""
                SELECT (SELECT count(*) FROM staging.customer WHERE connection_id = ?),
                       (SELECT count(*) FROM (SELECT source_id FROM staging.sale WHERE connection_id = ?
                                              UNION SELECT source_id FROM staging.payment WHERE connection_id = ?) r),
                       (SELECT count(*) FROM staging.sale WHERE connection_id = ? AND status = 'COMPLETED' AND kind = 'SALE'),
                       (SELECT coalesce(sum(amount_kopecks), 0) FROM staging.sale
                         WHERE connection_id = ? AND status = 'COMPLETED' AND kind = 'SALE'),
                       (SELECT count(*) FROM staging.payment WHERE connection_id = ? AND NOT deleted AND amount_kopecks < 0),
                       (SELECT coalesce(-sum(amount_kopecks), 0) FROM staging.payment
                         WHERE connection_id = ? AND NOT deleted AND amount_kopecks < 0)
                """, (rs, n) -> new OnecStaged(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getLong(4), rs.getInt(5),
                rs.getLong(6)), connectionId, connectionId, connectionId, connectionId, connectionId, connectionId, connectionId);
    }

    static OnecStaged of(OnecTruth truth) {
        return new OnecStaged(truth.customers(), truth.receiptRows(), truth.completedSales(), truth.completedSalesKopecks(),
                truth.completedRefunds(), truth.completedRefundsKopecks());
    }
}
