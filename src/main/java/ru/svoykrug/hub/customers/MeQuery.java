package ru.svoykrug.hub.customers;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.privacy.Consent;
import ru.svoykrug.hub.privacy.Consents;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/v1/customers/me} computed in one statement: each part goes by a key or an index on the
 * customer: their ids (theirs and those merged into it), their open lots (V29), the daytime points, tier, the
 * last night's RFM, consent, and their purchases by partner. With the figures it reads, in the same snapshot,
 * what {@link MeAnswers} keeps the answer under (V36): the customer's count of changes and the outdatings'.
 */
@Component
class MeQuery {

    /** How many times all kept answers were outdated (V36): a sum that only grows */
    static final String OUTDATINGS = "(SELECT coalesce(sum(o.times), 0)::bigint FROM core.answer_outdating o)";

    // The same figures as CustomerQueries and PointsLots had them: a lot is open with pending points, or active
    // ones not yet expired on today (the night expires them later), and its active points count only then;
    // pending adds today's daytime points. Each part is a lateral aggregate rather than a CTE read by several
    // scalar subqueries: the plan has a third of the nodes, and PostgreSQL ran it 1.7 times as often a second
    // (pgbench, 8 clients, 200k customers: 3,080 against 1,850 a second). Days go both ways as text: the driver
    // built a calendar for every statement that bound or read a LocalDate (3 % of a request's CPU in the hub).
    private static final String SQL = """
            WITH me AS MATERIALIZED (
                SELECT c.id, array_prepend(c.id, ARRAY(SELECT m.id FROM core.customer m WHERE m.merged_into = c.id)) AS ids
                  FROM core.customer c WHERE c.id = ? AND c.merged_into IS NULL AND c.erased_at IS NULL
            )
            SELECT me.id, lots.active, lots.pending + coalesce(daytime.pending, 0), lots.days, lots.points,
                   t.tier, t.spend_12m_kopecks, t.as_of::text,
                   s.segment, s.r, s.f, s.m, s.business_date::text,
                   k.given, k.since, k.by_role, k.by_subject,
                   visits.ids, visits.names, visits.days, visits.counts,
                   coalesce((SELECT a.changes FROM core.customer_answer a WHERE a.customer_id = me.id), 0),
                   """ + OUTDATINGS + """
              FROM me
              CROSS JOIN LATERAL (
                  SELECT coalesce(sum(o.active), 0)::bigint AS active, coalesce(sum(o.pending), 0)::bigint AS pending,
                         array_agg(o.expires_on::text ORDER BY o.expires_on) FILTER (WHERE o.active > 0 AND o.soon) AS days,
                         array_agg(o.active::bigint ORDER BY o.expires_on) FILTER (WHERE o.active > 0 AND o.soon) AS points
                    FROM (SELECT l.pending, CASE WHEN l.pending > 0 OR l.expires_on > CAST(? AS date) THEN l.active ELSE 0 END AS active,
                                 l.expires_on, l.expires_on <= CAST(? AS date) AS soon
                            FROM core.points_lot l
                           WHERE l.customer_id = ANY (me.ids) AND (l.pending > 0 OR l.active > 0)) o
              ) lots
              CROSS JOIN LATERAL (
                  SELECT sum(d.pending)::bigint AS pending FROM core.points_daytime d WHERE d.customer_id = ANY (me.ids)
              ) daytime
              CROSS JOIN LATERAL (
                  SELECT array_agg(v.partner_id ORDER BY v.last_visit DESC, v.partner_id) AS ids,
                         array_agg(v.name ORDER BY v.last_visit DESC, v.partner_id) AS names,
                         array_agg(v.last_visit::text ORDER BY v.last_visit DESC, v.partner_id) AS days,
                         array_agg(v.purchases ORDER BY v.last_visit DESC, v.partner_id) AS counts
                    FROM (SELECT pc.partner_id, min(pc.partner) AS name, max(p.purchase_day) AS last_visit, count(*)::integer AS purchases
                            FROM core.purchase p JOIN ops.partner_connection pc ON pc.id = p.connection_id
                           WHERE p.customer_id = ANY (me.ids) AND p.completed
                           GROUP BY pc.partner_id) v
              ) visits
              LEFT JOIN core.customer_tier t ON t.customer_id = me.id
              LEFT JOIN core.rfm s ON s.business_date = (SELECT max(business_date) FROM core.rfm) AND s.scope = 'circle'
                                  AND s.customer_id = me.id
              LEFT JOIN privacy.consent k ON k.customer_id = me.id""";

    private final JdbcTemplate jdbc;
    private final CustomerQueries queries;
    private final boolean consentByDefault;

    MeQuery(JdbcTemplate jdbc, CustomerQueries queries, Consents consents) {
        this.jdbc = jdbc;
        this.queries = queries;
        this.consentByDefault = consents.defaultGiven();
    }

    /** The answer as computed, and what it was computed under */
    record Computed(CustomerViews.Me me, long changes, long outdatings) {
    }

    /** The customer's answer; empty for no customer of this id (unknown, merged away or erased). */
    Optional<Computed> compute(long customerId, LocalDate today) {
        LocalDate horizon = today.plusDays(CustomerQueries.EXPIRING_DAYS);
        List<Computed> found = jdbc.query(con -> {
            var ps = con.prepareStatement(SQL);
            ps.setLong(1, customerId);
            ps.setString(2, today.toString());
            ps.setString(3, horizon.toString());
            return ps;
        }, (rs, n) -> new Computed(me(rs), rs.getLong(22), rs.getLong(23)));
        return found.stream().findFirst();
    }

    private CustomerViews.Me me(ResultSet rs) throws SQLException {
        // the expiring lots, by day: one entry a day with the points of all its lots
        List<String> days = texts(rs.getArray(4));
        Array points = rs.getArray(5);
        Long[] amounts = points == null ? new Long[0] : (Long[]) points.getArray();
        List<CustomerViews.Expiring> expiring = new ArrayList<>();
        long expiringPoints = 0;
        for (int i = 0; i < days.size(); ) {
            String day = days.get(i);
            long sum = 0;
            for (; i < days.size() && days.get(i).equals(day); i++) {
                sum += amounts[i];
            }
            expiring.add(new CustomerViews.Expiring(LocalDate.parse(day), sum));
            expiringPoints += sum;
        }
        CustomerViews.Points balance = new CustomerViews.Points(rs.getLong(2), rs.getLong(3), expiringPoints, expiring);
        String tierName = rs.getString(6);
        CustomerViews.Tier tier = queries.tierOf(tierName, tierName == null ? 0 : rs.getLong(7), day(rs.getString(8)));
        Consent consent = consent(rs);
        CustomerViews.Segment segment = rs.getString(9) == null || !consent.given() ? null
                : new CustomerViews.Segment(rs.getString(9), rs.getInt(10), rs.getInt(11), rs.getInt(12),
                        day(rs.getString(13)));
        return new CustomerViews.Me(rs.getLong(1), balance, tier, segment, consent.given() ? null : CustomerViews.NO_CONSENT,
                partners(rs), CustomerViews.ConsentView.of(consent));
    }

    private Consent consent(ResultSet rs) throws SQLException {
        Object given = rs.getObject(14);
        if (given == null) {
            return new Consent(consentByDefault, null, null, null, false);
        }
        Timestamp since = rs.getTimestamp(15);
        return new Consent((Boolean) given, since.toInstant(), rs.getString(16), rs.getString(17), true);
    }

    private static List<CustomerViews.PartnerVisited> partners(ResultSet rs) throws SQLException {
        List<String> ids = texts(rs.getArray(18));
        List<String> names = texts(rs.getArray(19));
        List<String> days = texts(rs.getArray(20));
        Array purchases = rs.getArray(21);
        Integer[] counts = purchases == null ? new Integer[0] : (Integer[]) purchases.getArray();
        List<CustomerViews.PartnerVisited> partners = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            partners.add(new CustomerViews.PartnerVisited(ids.get(i), names.get(i), LocalDate.parse(days.get(i)), counts[i]));
        }
        return partners;
    }

    private static LocalDate day(String text) {
        return text == null ? null : LocalDate.parse(text);
    }

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? List.of() : java.util.Arrays.asList((String[]) array.getArray());
    }
}
