package ru.svoykrug.hub.partners;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.analytics.churn.ParetoNbdParameters;
import ru.svoykrug.hub.analytics.churn.ParetoNbdScorer;
import ru.svoykrug.hub.loyalty.PointsLots;
import tools.jackson.databind.json.JsonMapper;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A partner's customers as the partner may see them: ids only (no name, no phone), the RFM segment of the
 * partner's own scope (the night's per-connection RFM), the last day they bought at the partner, a churn
 * risk of their history at the partner alone, and their points balance (the circle's points: what the
 * partner's cashier can redeem). Nothing of their purchases at other partners. A customer without consent to
 * processing ({@code privacy.unconsented}) is listed with their visit and points but neither segmented nor
 * scored, as the night leaves them; a segment an earlier night gave them is not shown either.
 *
 * <p>The night fits the churn models on the circle only; the partner's churn risk is that last fitted
 * Pareto/NBD model applied to the customer's purchase days at the partner ({@code core.customer_activity}
 * of the partner's connections), so it says how likely the customer still comes to this partner.
 */
@Component
class PartnerCustomers {

    private static final int SCAN = 500;
    static final String NO_CONSENT = "no consent to processing: not scored or segmented";

    private final JdbcTemplate jdbc;
    private final PointsLots lots;
    private final JsonMapper json;

    PartnerCustomers(JdbcTemplate jdbc, PointsLots lots, JsonMapper json) {
        this.jdbc = jdbc;
        this.lots = lots;
        this.json = json;
    }

    /** Customers after {@code afterId}, in id order, matching the filters; at most {@code limit}, plus whether more may follow. */
    Page page(String partnerId, String segment, Double minChurnRisk, long afterId, int limit, LocalDate today) {
        ParetoNbdScorer scorer = scorer();
        List<Customer> found = new ArrayList<>();
        long after = afterId;
        while (true) {
            List<Row> rows = rows(partnerId, segment, after, SCAN);
            for (Row row : rows) {
                after = row.customerId();
                Double risk = row.consented() ? risk(scorer, row, today) : null;
                if (minChurnRisk != null && (risk == null || risk < minChurnRisk)) {
                    continue;
                }
                List<PointsLots.Lot> open = lots.open(lots.customerIds(row.customerId()).orElse(List.of(row.customerId())), today);
                found.add(new Customer(row.customerId(), row.segment(), risk, row.consented() ? null : NO_CONSENT, row.lastDay(),
                        PointsLots.spendable(open), open.stream().mapToLong(PointsLots.Lot::pending).sum()));
                if (found.size() == limit) {
                    return new Page(found, row.customerId());
                }
            }
            if (rows.size() < SCAN) {
                return new Page(found, null);
            }
        }
    }

    private List<Row> rows(String partnerId, String segment, long after, int limit) {
        return jdbc.query("""
                WITH scopes AS (SELECT id FROM ops.partner_connection WHERE partner_id = ?),
                     activity AS (
                         SELECT a.customer_id, min(a.first_day) AS first_day, max(a.last_day) AS last_day,
                                sum(a.purchase_days) AS purchase_days
                           FROM core.customer_activity a JOIN scopes s ON a.scope = s.id
                          WHERE a.customer_id > ?
                          GROUP BY a.customer_id)
                SELECT a.customer_id, a.first_day, a.last_day, a.purchase_days, seg.segment, u.customer_id IS NULL AS consented
                  FROM activity a
                  LEFT JOIN LATERAL (SELECT u.customer_id FROM privacy.unconsented u WHERE u.customer_id = a.customer_id LIMIT 1) u ON true
                  LEFT JOIN LATERAL (
                       SELECT r.segment FROM core.rfm r JOIN scopes s ON r.scope = s.id
                        WHERE r.customer_id = a.customer_id AND r.business_date = (SELECT max(business_date) FROM core.rfm)
                        ORDER BY r.recency_days, r.scope LIMIT 1) seg ON u.customer_id IS NULL
                 WHERE CAST(? AS text) IS NULL OR seg.segment = ?
                 ORDER BY a.customer_id LIMIT ?""",
                (rs, n) -> new Row(rs.getLong(1), rs.getObject(2, LocalDate.class), rs.getObject(3, LocalDate.class),
                        rs.getInt(4), rs.getString(5), rs.getBoolean(6)),
                partnerId, after, segment, segment, limit);
    }

    /** The last fitted Pareto/NBD model of the circle, or none yet (no night, or too few customers). */
    private ParetoNbdScorer scorer() {
        List<String> found = jdbc.queryForList("""
                SELECT parameters::text FROM core.churn_model
                 WHERE model = 'Pareto/NBD' AND log_likelihood IS NOT NULL ORDER BY business_date DESC LIMIT 1""", String.class);
        return found.isEmpty() ? null : new ParetoNbdScorer(json.readValue(found.get(0), ParetoNbdParameters.class));
    }

    private static Double risk(ParetoNbdScorer scorer, Row row, LocalDate today) {
        if (scorer == null || row.firstDay().isAfter(today)) {
            return null;
        }
        double tx = (row.lastDay().toEpochDay() - row.firstDay().toEpochDay()) / 7.0;
        double age = (today.toEpochDay() - row.firstDay().toEpochDay()) / 7.0;
        double[] out = new double[1];
        scorer.score(Math.max(0, row.purchaseDays() - 1), tx, Math.max(age, tx), out);
        return Math.round((1 - out[0]) * 10_000) / 10_000.0;
    }

    private record Row(long customerId, LocalDate firstDay, LocalDate lastDay, int purchaseDays, String segment, boolean consented) {
    }

    /**
     * One customer of the partner; {@code churnRisk} null until a night has fitted the model. {@code withheld} says why
     * segment and churn risk are null when it is for consent.
     */
    record Customer(long customerId, String segment, Double churnRisk, String withheld, LocalDate lastVisitOn, long activePoints,
                    long pendingPoints) {
    }

    /** {@code lastId}: where the next page starts, null on the last page. */
    record Page(List<Customer> customers, Long lastId) {
    }
}
