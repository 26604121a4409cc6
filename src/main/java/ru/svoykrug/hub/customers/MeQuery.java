package ru.svoykrug.hub.customers;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.audit.Actor;
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
 * {@code GET /api/v1/customers/me} in one statement, its audit row included: one round trip and one commit
 * a request instead of eight statements and two commits (BENCHMARKS.md, "The customer API"). Each part goes
 * by a key or an index on the customer: their ids (theirs and those merged into it), their open lots
 * (V29), the daytime points, tier, the last night's RFM, consent, and their purchases by partner.
 *
 * <p>The audit row is the one {@code AuditTrail.read} writes (action READ, the token's subject and role, the
 * endpoint, the fields shown), inserted by this statement for a customer that exists: the answer leaves the
 * database only once its row is committed, as before, and an unknown customer's 404 writes none.
 */
@Component
class MeQuery {

    static final String CHANNEL = "GET /api/v1/customers/me";
    private static final String[] FIELDS = {"points", "tier", "segment", "partners", "consent"};

    // The same figures as CustomerQueries and PointsLots had them, statement by statement: a lot is open with
    // pending points, or active ones not yet expired on today (the night expires them later), and its active
    // points count only then; pending adds today's daytime points.
    private static final String SQL = """
            WITH me AS (
                SELECT id FROM core.customer WHERE id = ? AND merged_into IS NULL
            ), ids AS MATERIALIZED (
                SELECT id FROM me
                UNION ALL
                SELECT c.id FROM core.customer c JOIN me ON c.merged_into = me.id
            ), audited AS (
                INSERT INTO audit.entry (actor_subject, actor_role, action, fields, channel, customer_id)
                SELECT ?, ?, 'READ', ?, ?, id FROM me
                RETURNING id
            ), lots AS MATERIALIZED (
                SELECT l.pending, CASE WHEN l.pending > 0 OR l.expires_on > ? THEN l.active ELSE 0 END AS active, l.expires_on
                  FROM core.points_lot l
                 WHERE l.customer_id IN (SELECT id FROM ids) AND (l.pending > 0 OR l.active > 0)
            ), expiring AS (
                SELECT expires_on, sum(active)::bigint AS points FROM lots
                 WHERE active > 0 AND expires_on <= ? GROUP BY expires_on
            ), partners AS (
                SELECT pc.partner_id, min(pc.partner) AS name, max(p.purchase_day) AS last_visit, count(*)::integer AS purchases
                  FROM core.purchase p JOIN ops.partner_connection pc ON pc.id = p.connection_id
                 WHERE p.customer_id IN (SELECT id FROM ids) AND p.completed
                 GROUP BY pc.partner_id
            )
            SELECT me.id,
                   (SELECT coalesce(sum(active), 0)::bigint FROM lots),
                   (SELECT coalesce(sum(pending), 0)::bigint FROM lots)
                       + (SELECT coalesce(sum(d.pending), 0)::bigint FROM core.points_daytime d WHERE d.customer_id IN (SELECT id FROM ids)),
                   (SELECT array_agg(expires_on::text ORDER BY expires_on) FROM expiring),
                   (SELECT array_agg(points ORDER BY expires_on) FROM expiring),
                   t.tier, t.spend_12m_kopecks, t.as_of,
                   s.segment, s.r, s.f, s.m, s.business_date,
                   k.given, k.since, k.by_role, k.by_subject,
                   (SELECT array_agg(partner_id ORDER BY last_visit DESC, partner_id) FROM partners),
                   (SELECT array_agg(name ORDER BY last_visit DESC, partner_id) FROM partners),
                   (SELECT array_agg(last_visit::text ORDER BY last_visit DESC, partner_id) FROM partners),
                   (SELECT array_agg(purchases ORDER BY last_visit DESC, partner_id) FROM partners)
              FROM me
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

    /** The customer's answer, audited as read by {@code actor}; empty for no customer of this id (unknown or merged away). */
    Optional<CustomerViews.Me> answer(long customerId, Actor actor, LocalDate today) {
        LocalDate horizon = today.plusDays(CustomerQueries.EXPIRING_DAYS);
        List<CustomerViews.Me> found = jdbc.query(con -> {
            var ps = con.prepareStatement(SQL);
            ps.setLong(1, customerId);
            ps.setString(2, actor.subject());
            ps.setString(3, actor.role());
            ps.setArray(4, con.createArrayOf("text", FIELDS));
            ps.setString(5, CHANNEL);
            ps.setObject(6, today);
            ps.setObject(7, horizon);
            return ps;
        }, (rs, n) -> me(rs));
        return found.stream().findFirst();
    }

    private CustomerViews.Me me(ResultSet rs) throws SQLException {
        List<String> days = texts(rs.getArray(4));
        Array points = rs.getArray(5);
        Long[] amounts = points == null ? new Long[0] : (Long[]) points.getArray();
        List<CustomerViews.Expiring> expiring = new ArrayList<>();
        long expiringPoints = 0;
        for (int i = 0; i < days.size(); i++) {
            expiring.add(new CustomerViews.Expiring(LocalDate.parse(days.get(i)), amounts[i]));
            expiringPoints += amounts[i];
        }
        CustomerViews.Points balance = new CustomerViews.Points(rs.getLong(2), rs.getLong(3), expiringPoints, expiring);
        String tierName = rs.getString(6);
        CustomerViews.Tier tier = queries.tierOf(tierName, tierName == null ? 0 : rs.getLong(7), rs.getObject(8, LocalDate.class));
        Consent consent = consent(rs);
        CustomerViews.Segment segment = rs.getString(9) == null || !consent.given() ? null
                : new CustomerViews.Segment(rs.getString(9), rs.getInt(10), rs.getInt(11), rs.getInt(12),
                        rs.getObject(13, LocalDate.class));
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

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? List.of() : java.util.Arrays.asList((String[]) array.getArray());
    }
}
