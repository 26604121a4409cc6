package ru.svoykrug.hub.loyalty;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A customer's lots of points, as the night and the redemptions left them. A lot keeps the customer id of
 * its sale's customer when earned; a local customer merged into a circle customer later keeps theirs, so a
 * customer's lots are those of their id and of the ids merged into it. Open lots are found by the partial
 * index of open lots by customer (V29); a full index by customer cost the night a fifth of its points step
 * (V11), and the way through the ledger's index read every entry the customer ever had.
 */
@Component
public class PointsLots {

    private final JdbcTemplate jdbc;

    PointsLots(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The customer's ids (theirs first, then those merged into it); empty when no customer has this id, it was
     * merged away or erased (the erased one's points stay with an anonymous id that no customer uses any more).
     */
    public Optional<List<Long>> customerIds(long customerId) {
        // (one statement: the customer API asks this on every request)
        List<Long> ids = jdbc.queryForList("""
                SELECT id FROM (SELECT id, 0 AS merged FROM core.customer WHERE id = ? AND merged_into IS NULL
                                UNION ALL
                                SELECT id, 1 FROM core.customer WHERE merged_into = ?) c
                 WHERE EXISTS (SELECT 1 FROM core.customer WHERE id = ? AND merged_into IS NULL AND erased_at IS NULL)
                 ORDER BY merged, id""", Long.class, customerId, customerId, customerId);
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids);
    }

    /** The customer API's kept answer of this customer no longer counts, once this transaction commits (V36). */
    public void changed(long customerId) {
        jdbc.queryForList("SELECT core.customers_changed(ARRAY[CAST(? AS bigint)])", customerId);
    }

    /** Lots with points left (pending, or active and not yet expired on {@code today}), oldest first. */
    public List<Lot> open(List<Long> customerIds, LocalDate today) {
        return jdbc.query(con -> {
            var ps = con.prepareStatement("""
                    SELECT l.connection_id, l.source_id, l.customer_id, l.pending, l.active, l.activates_on, l.expires_on
                      FROM core.points_lot l
                     WHERE l.customer_id = ANY (?) AND (l.pending > 0 OR l.active > 0)
                       AND (l.pending > 0 OR (l.active > 0 AND l.expires_on > ?))
                     ORDER BY l.activates_on, l.expires_on, l.connection_id, l.source_id""");
            Array ids = con.createArrayOf("bigint", customerIds.toArray());
            ps.setArray(1, ids);
            ps.setObject(2, today);
            return ps;
        }, (rs, n) -> new Lot(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                rs.getLong(5), rs.getObject(6, LocalDate.class), rs.getObject(7, LocalDate.class)));
    }

    /** Active points that can be spent on {@code today}: those of lots not yet expired. */
    public static long spendable(List<Lot> lots) {
        return lots.stream().mapToLong(Lot::active).sum();
    }

    /** One sale's points: pending until activation, then active until they expire. */
    public record Lot(String connectionId, String sourceId, long customerId, long pending, long active,
                      LocalDate activatesOn, LocalDate expiresOn) {
    }
}
