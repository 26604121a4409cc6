package ru.svoykrug.hub.nightly;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test's part of core, by what partners call things (customer ids and ledger entry ids depend on the
 * order of nights): purchases, lots with their ledger sums, tiers, activity and RFM.
 */
final class CoreSnapshot {

    private final JdbcTemplate jdbc;
    private final String mine;

    CoreSnapshot(JdbcTemplate jdbc, String... connections) {
        this.jdbc = jdbc;
        this.mine = "(" + java.util.Arrays.stream(connections).map(c -> "'" + c + "'").collect(Collectors.joining(", ")) + ")";
    }

    /** Empties core, so that the next night is a first night over everything staged. */
    static void emptyCore(JdbcTemplate jdbc) {
        jdbc.execute("TRUNCATE core.churn_score, core.churn_model, core.rfm, core.customer_tier, core.points_lot, core.points_ledger, "
                + "core.purchase, core.customer_link, core.customer, core.night_mark, core.customer_activity, core.activity_todo, "
                + "core.points_todo RESTART IDENTITY");
    }

    /** Fails naming only the rows that differ, part by part. */
    static void assertSameCore(Map<String, List<Map<String, Object>>> actual, Map<String, List<Map<String, Object>>> expected,
                               String description) {
        StringBuilder differences = new StringBuilder();
        for (String part : expected.keySet()) {
            List<Map<String, Object>> missing = new java.util.ArrayList<>(expected.get(part));
            missing.removeAll(actual.get(part));
            List<Map<String, Object>> extra = new java.util.ArrayList<>(actual.get(part));
            extra.removeAll(expected.get(part));
            if (!missing.isEmpty() || !extra.isEmpty()) {
                differences.append("\n").append(part).append(": expected but missing ").append(missing)
                        .append("\n").append(part).append(": present but not expected ").append(extra);
            }
        }
        assertThat(differences.toString()).as(description).isEmpty();
        assertThat(actual).as(description).isEqualTo(expected);
    }

    Map<String, List<Map<String, Object>>> take() {
        String key = "(SELECT min(k.connection_id || '/' || k.customer_key) FROM core.customer_link k JOIN core.customer c "
                + "ON c.id = k.customer_id WHERE coalesce(c.merged_into, c.id) = %s)";
        Map<String, List<Map<String, Object>>> core = new LinkedHashMap<>();
        core.put("purchases", jdbc.queryForList(("SELECT connection_id, source_id, " + key.formatted("p.customer_id") + " AS customer, "
                + "purchase_day, amount_kopecks, refunded_kopecks, completed FROM core.purchase p WHERE connection_id IN " + mine
                + " ORDER BY 1, 2")));
        core.put("lots", jdbc.queryForList("SELECT l.connection_id, l.source_id, l.earned, l.pending, l.active, l.reversed_target, "
                + "l.consumed, l.earned_on, l.activates_on, l.activated, l.expires_on, "
                + "(SELECT sum(e.pending_delta) FROM core.points_ledger e WHERE e.connection_id = l.connection_id "
                + "AND e.source_id = l.source_id) AS ledger_pending, "
                + "(SELECT sum(e.active_delta) FROM core.points_ledger e WHERE e.connection_id = l.connection_id "
                + "AND e.source_id = l.source_id) AS ledger_active, "
                // (entries by kind and day; an ACTIVATE's amount depends on whether a refund came before or after it)
                + "(SELECT string_agg(e.entry_type || ' ' || e.effective_on || CASE WHEN e.entry_type = 'EARN' "
                + "THEN ' ' || e.pending_delta ELSE '' END, ', ' "
                + "ORDER BY e.entry_type, e.effective_on) FROM core.points_ledger e WHERE e.connection_id = l.connection_id "
                + "AND e.source_id = l.source_id AND e.entry_type IN ('EARN', 'ACTIVATE', 'EXPIRE')) AS entries, "
                + "(SELECT e.tier FROM core.points_ledger e WHERE e.connection_id = l.connection_id AND e.source_id = l.source_id "
                + "AND e.entry_type = 'EARN') AS tier "
                // a sale voided after its night keeps its lot, fully reversed; one night over everything never earns on it
                + "FROM core.points_lot l WHERE l.connection_id IN " + mine + " AND l.earned > l.reversed_target ORDER BY 1, 2"));
        // (as_of: the night that last recomputed the tier, which a next night does only for the customers it concerns)
        core.put("tiers", jdbc.queryForList("SELECT " + key.formatted("t.customer_id") + " AS customer, t.tier, t.spend_12m_kopecks "
                + "FROM core.customer_tier t WHERE t.customer_id IN (SELECT customer_id FROM core.customer_link "
                + "WHERE connection_id IN " + mine + ") ORDER BY 1"));
        core.put("activity", jdbc.queryForList("SELECT a.scope, " + key.formatted("a.customer_id") + " AS customer, a.first_day, "
                + "a.last_day, a.purchase_days, a.spend_kopecks, a.first_day_kopecks, a.days_365, a.spend_365_kopecks "
                + "FROM core.customer_activity a WHERE a.customer_id IN (SELECT customer_id FROM core.customer_link "
                + "WHERE connection_id IN " + mine + ") ORDER BY 1, 2"));
        core.put("rfm", jdbc.queryForList("SELECT r.business_date, r.scope, " + key.formatted("r.customer_id") + " AS customer, "
                + "r.recency_days, r.frequency, r.monetary_kopecks, r.r, r.f, r.m, r.segment FROM core.rfm r WHERE r.scope IN " + mine
                + " ORDER BY 2, 3"));
        assertThat(core.get("lots")).as("there is something to compare").hasSizeGreaterThan(20);
        return core;
    }
}
