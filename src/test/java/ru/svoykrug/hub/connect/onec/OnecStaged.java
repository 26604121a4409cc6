package ru.svoykrug.hub.connect.onec;

import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.simulate.onec.OnecTruth;

/** What staging holds for one 1C connection, in the terms of the simulator's truth. */
record OnecStaged(int customers, int receiptRows, int completedSales, long completedSalesKopecks,
                  int completedRefunds, long completedRefundsKopecks) {

    static OnecStaged of(JdbcTemplate jdbc, String connectionId) {
        return jdbc.queryForObject("""
                SELECT (SELECT count(*) FROM staging.customer WHERE connection_id = ?),
                       count(*),
                       count(*) FILTER (WHERE status = 'COMPLETED' AND kind = 'SALE'),
                       coalesce(sum(amount_kopecks) FILTER (WHERE status = 'COMPLETED' AND kind = 'SALE'), 0),
                       count(*) FILTER (WHERE status = 'COMPLETED' AND kind = 'REFUND'),
                       coalesce(sum(amount_kopecks) FILTER (WHERE status = 'COMPLETED' AND kind = 'REFUND'), 0)
                  FROM staging.sale WHERE connection_id = ?
                """, (rs, n) -> new OnecStaged(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getLong(4), rs.getInt(5),
                rs.getLong(6)), connectionId, connectionId);
    }

    static OnecStaged of(OnecTruth truth) {
        return new OnecStaged(truth.customers(), truth.receiptRows(), truth.completedSales(), truth.completedSalesKopecks(),
                truth.completedRefunds(), truth.completedRefundsKopecks());
    }
}
