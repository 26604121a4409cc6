package ru.svoykrug.hub.customers;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.loyalty.LoyaltyRules;
import ru.svoykrug.hub.loyalty.PointsLots;
import ru.svoykrug.hub.privacy.PhoneIndex;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ru.svoykrug.hub.customers.CustomerViews.Partner;
import ru.svoykrug.hub.customers.CustomerViews.PointsEntry;
import ru.svoykrug.hub.customers.CustomerViews.Purchase;

/**
 * One customer's own figures, read from core as the last night (and the redemptions since) left it. A
 * customer is their id and the local customers merged into it ({@link PointsLots#customerIds}). Each query
 * goes by an index on the customer: the ledger's, the purchases'. ({@code me} is {@link MeAnswers}'s.)
 */
@Component
class CustomerQueries {

    static final int EXPIRING_DAYS = 30;
    // a purchase cursor's time lies within what PostgreSQL's timestamptz holds (years 1900 to 9999 here)
    private static final long EARLIEST_MICROS = micros(Instant.parse("1900-01-01T00:00:00Z"));
    private static final long LATEST_MICROS = micros(Instant.parse("9999-12-31T00:00:00Z"));

    private final JdbcTemplate jdbc;
    private final PointsLots lots;
    private final LoyaltyRules rules;
    private final PhoneIndex phoneIndex;

    CustomerQueries(JdbcTemplate jdbc, PointsLots lots, LoyaltyRules rules, PhoneIndex phoneIndex) {
        this.jdbc = jdbc;
        this.lots = lots;
        this.rules = rules;
        this.phoneIndex = phoneIndex;
    }

    Optional<List<Long>> ids(long customerId) {
        return lots.customerIds(customerId);
    }

    /** The customer of the circle with this phone (E.164), found by the phone's blind index. */
    Optional<Long> byPhone(String e164) {
        return jdbc.queryForList("SELECT coalesce(merged_into, id) FROM core.customer WHERE phone_key = ?", Long.class,
                        phoneIndex.of(e164))
                .stream().findFirst();
    }

    /** The tier as of the last night from its row ({@code name} null: no row, nothing bought in 12 months), and the next one. */
    CustomerViews.Tier tierOf(String name, long spend, LocalDate asOf) {
        String tier = name == null ? rules.tiers().get(0).name() : name;
        return rules.tiers().stream().filter(t -> t.fromKopecks() > spend).findFirst()
                .map(next -> new CustomerViews.Tier(tier, spend, next.name(), next.fromKopecks() - spend, asOf))
                .orElse(new CustomerViews.Tier(tier, spend, null, null, asOf));
    }

    /** Ledger entries, newest first (by the order they were posted). */
    PageCursor.Page<PointsEntry> entries(List<Long> ids, String cursor, int limit) {
        long before = cursor == null ? Long.MAX_VALUE : parseLong(PageCursor.decode(cursor, "points", 1).get(0));
        List<PointsEntry> rows = jdbc.query(con -> {
            PreparedStatement ps = withIds(con.prepareStatement("""
                    SELECT e.id, e.entry_type, e.pending_delta, e.active_delta, e.effective_on, e.redemption_id, x.partner_id,
                           (SELECT min(n.partner) FROM ops.partner_connection n WHERE n.partner_id = x.partner_id)
                      FROM core.points_ledger e
                      LEFT JOIN core.redemption r ON r.id = e.redemption_id
                      LEFT JOIN ops.partner_connection pc ON pc.id = e.connection_id
                     CROSS JOIN LATERAL (SELECT coalesce(r.partner_id, pc.partner_id) AS partner_id) x
                     WHERE e.customer_id = ANY (?) AND e.id < ?
                     ORDER BY e.id DESC LIMIT ?"""), ids, 1);
            ps.setLong(2, before);
            ps.setInt(3, limit + 1);
            return ps;
        }, (rs, n) -> new PointsEntry(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                rs.getObject(5, LocalDate.class), rs.getString(7) == null ? null : new Partner(rs.getString(7), rs.getString(8)),
                (Long) rs.getObject(6)));
        return page(rows, limit, last -> PageCursor.encode("points", last.id()));
    }

    /** Purchases, newest first; a medical partner's without the partner or the time (medical secrecy). */
    PageCursor.Page<Purchase> purchases(List<Long> ids, String cursor, int limit) {
        Instant beforeAt = Instant.MAX;
        String beforeKey = "";
        if (cursor != null) {
            List<String> parts = PageCursor.decode(cursor, "purchases", 2);
            long micros = parseLong(parts.get(0));
            if (micros < EARLIEST_MICROS || micros > LATEST_MICROS) {
                throw new IllegalArgumentException("cursor is not one this API gave");
            }
            beforeAt = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
            beforeKey = parts.get(1);
        }
        Timestamp at = cursor == null ? null : Timestamp.from(beforeAt);
        String key = beforeKey;
        List<Object[]> rows = jdbc.query(con -> {
            PreparedStatement ps = withIds(con.prepareStatement("""
                    SELECT p.occurred_at, p.connection_id || '/' || p.source_id, p.purchase_day, p.amount_kopecks,
                           p.refunded_kopecks, p.completed, pc.medical, pc.partner_id, pc.partner
                      FROM core.purchase p JOIN ops.partner_connection pc ON pc.id = p.connection_id
                     WHERE p.customer_id = ANY (?)
                       AND (CAST(? AS timestamptz) IS NULL OR (p.occurred_at, p.connection_id || '/' || p.source_id) < (?, ?))
                     ORDER BY p.occurred_at DESC, p.connection_id || '/' || p.source_id DESC LIMIT ?"""), ids, 1);
            ps.setTimestamp(2, at);
            ps.setTimestamp(3, at);
            ps.setString(4, key);
            ps.setInt(5, limit + 1);
            return ps;
        }, (rs, n) -> {
            boolean medical = rs.getBoolean(7);
            Instant occurred = rs.getTimestamp(1).toInstant();
            return new Object[]{new Purchase(medical ? null : new Partner(rs.getString(8), rs.getString(9)),
                    rs.getObject(3, LocalDate.class), medical ? null : occurred, rs.getLong(4), rs.getLong(5), rs.getBoolean(6)),
                    occurred, rs.getString(2)};
        });
        PageCursor.Page<Object[]> page = page(rows, limit, last -> PageCursor.encode("purchases",
                micros((Instant) last[1]), last[2]));
        return new PageCursor.Page<>(page.items().stream().map(r -> (Purchase) r[0]).toList(), page.nextCursor());
    }

    private static <T> PageCursor.Page<T> page(List<T> rows, int limit, java.util.function.Function<T, String> cursorOf) {
        if (rows.size() <= limit) {
            return new PageCursor.Page<>(rows, null);
        }
        List<T> items = new ArrayList<>(rows.subList(0, limit));
        return new PageCursor.Page<>(items, cursorOf.apply(items.get(limit - 1)));
    }

    private static PreparedStatement withIds(PreparedStatement ps, List<Long> ids, int index) throws java.sql.SQLException {
        Array array = ps.getConnection().createArrayOf("bigint", ids.toArray());
        ps.setArray(index, array);
        return ps;
    }

    private static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cursor is not one this API gave");
        }
    }
}
