package ru.svoykrug.hub.connect;

import org.springframework.jdbc.core.JdbcTemplate;

/** What staging holds for one connection, in the terms of the simulator's truth. */
public record Staged(int customers, int saleRows, int completedSales, long completedSalesKopecks, int payments,
                     long paymentsKopecks) {

    public static Staged of(JdbcTemplate jdbc, String connectionId) {
        return jdbc.queryForObject("""
                SELECT (SELECT count(*) FROM staging.customer WHERE connection_id = ?),
                       (SELECT count(*) FROM staging.sale WHERE connection_id = ?),
                       (SELECT count(*) FROM staging.sale WHERE connection_id = ? AND status = 'COMPLETED'),
                       (SELECT coalesce(sum(amount_kopecks), 0) FROM staging.sale WHERE connection_id = ? AND status = 'COMPLETED'),
                       (SELECT count(*) FROM staging.payment WHERE connection_id = ? AND NOT deleted),
                       (SELECT coalesce(sum(amount_kopecks), 0) FROM staging.payment WHERE connection_id = ? AND NOT deleted)
                """, (rs, n) -> new Staged(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getLong(4), rs.getInt(5), rs.getLong(6)),
                connectionId, connectionId, connectionId, connectionId, connectionId, connectionId);
    }

    public static Staged of(ru.svoykrug.hub.simulate.yclients.YclientsTruth truth) {
        return new Staged(truth.customers(), truth.saleRows(), truth.completedSales(), truth.completedSalesKopecks(),
                truth.payments(), truth.paymentsKopecks());
    }
}
