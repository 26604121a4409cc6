package ru.svoykrug.hub.loyalty;

import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import ru.svoykrug.hub.audit.AuditEntry;
import ru.svoykrug.hub.audit.AuditTrail;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Spending active points, oldest lot first, and giving them back when the partner cancels on the same day.
 *
 * <p>Never below zero, however many requests come at once: a redemption locks its customer's row, so one
 * customer's redemptions run one after another while different customers' run side by side, and it
 * reads the lots only once it holds the lock. The night's points step changes the same lots; it takes
 * the points lock exclusively (jobs/sql/03-points.sql) and a redemption takes it shared, so neither sees
 * the other's half-done work. A redemption that cannot have the lock within a few seconds (a first night
 * posting millions of points) is refused with a 409 to try again rather than holding a request thread.
 */
@Service
public class Redemptions {

    // (the wait first, then the lock: one round trip)
    private static final String POINTS_LOCK = """
            SELECT set_config('lock_timeout', '3s', true), pg_advisory_xact_lock_shared(hashtext('hub-points'))::text""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final PointsLots lots;
    private final AuditTrail audit;
    private final Clock clock;

    public Redemptions(JdbcTemplate jdbc, TransactionTemplate tx, PointsLots lots, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.lots = lots;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Spends the points, or answers as the first request with this key was answered; {@code audited} (who
     * asked, through which endpoint) is recorded in the same transaction: no points are spent without their
     * audit row, and no row is left of a redemption that failed.
     */
    public Redemption.Outcome redeem(Redemption.Request request, AuditEntry audited) {
        if (request.points() <= 0) {
            throw new IllegalArgumentException("points must be a positive whole number");
        }
        try {
            return Objects.requireNonNull(tx.execute(status -> {
                Redemption.Outcome outcome = redeemLocked(request);
                audit.record(audited);
                return outcome;
            }));
        } catch (PessimisticLockingFailureException e) {
            throw RedemptionRefused.busy();
        } catch (KeyTakenMeanwhile e) {
            // another request with this key committed between our look-up and our insert
            Redemption.Outcome outcome = replay(request, findByKey(request).orElseThrow(RedemptionRefused::keyReused));
            audit.record(audited);
            return outcome;
        }
    }

    /**
     * Gives a redemption's points back to the lots it took them from; only its partner, only on its day.
     * {@code audited} makes the audit row of the customer whose points come back, written in the same transaction.
     */
    public Redemption cancel(String partnerId, long redemptionId, LongFunction<AuditEntry> audited) {
        try {
            return Objects.requireNonNull(tx.execute(status -> {
                Redemption cancelled = cancelLocked(partnerId, redemptionId);
                audit.record(audited.apply(cancelled.customerId()));
                return cancelled;
            }));
        } catch (PessimisticLockingFailureException e) {
            throw RedemptionRefused.busy();
        }
    }

    private Redemption.Outcome redeemLocked(Redemption.Request request) {
        lockPoints();
        Holder holder = lockHolder(request);
        ZoneId zone = holder.zone();
        if (holder.earlierId() != null) {
            return replay(request, findById(holder.earlierId()).orElseThrow());
        }
        Instant now = clock.instant();
        LocalDate today = now.atZone(zone).toLocalDate();
        List<PointsLots.Lot> open = lots.open(holder.ids(), today);
        long balance = PointsLots.spendable(open);
        if (balance < request.points()) {
            throw RedemptionRefused.notEnoughPoints(request.points(), balance);
        }
        List<Long> inserted = jdbc.queryForList("""
                INSERT INTO core.redemption (customer_id, partner_id, points, channel, idempotency_scope, idempotency_key,
                                             receipt_ref, active_after, created_at, zone, local_day)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (idempotency_scope, idempotency_key) DO NOTHING
                RETURNING id""", Long.class, request.customerId(), request.partnerId(), request.points(),
                request.channel().name(), request.scope(), request.idempotencyKey(), request.receiptRef(),
                balance - request.points(), Timestamp.from(now), zone.getId(), today);
        if (inserted.isEmpty()) {
            throw new KeyTakenMeanwhile();
        }
        long id = inserted.get(0);
        spendOldestFirst(id, open, request.points(), today, request.customerId());
        return new Redemption.Outcome(new Redemption(id, request.customerId(), request.partnerId(), request.points(),
                request.receiptRef(), balance - request.points(), now, zone.getId(), today, null), false);
    }

    /** The lots' shares, oldest lot first, in one statement: each lot less its share, what was taken from it, a REDEEM entry. */
    private void spendOldestFirst(long redemptionId, List<PointsLots.Lot> open, long points, LocalDate today, long customerId) {
        List<String> connections = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<Long> customers = new ArrayList<>();
        List<Long> takes = new ArrayList<>();
        long left = points;
        for (PointsLots.Lot lot : open) {
            long take = Math.min(left, lot.active());
            if (take == 0) {
                continue;
            }
            connections.add(lot.connectionId());
            sources.add(lot.sourceId());
            customers.add(lot.customerId());
            takes.add(take);
            left -= take;
        }
        jdbc.update(con -> {
            var ps = con.prepareStatement(SPEND);
            ps.setArray(1, con.createArrayOf("text", connections.toArray()));
            ps.setArray(2, con.createArrayOf("text", sources.toArray()));
            ps.setArray(3, con.createArrayOf("bigint", customers.toArray()));
            ps.setArray(4, con.createArrayOf("bigint", takes.toArray()));
            ps.setLong(5, redemptionId);
            ps.setLong(6, customerId);
            ps.setObject(7, today);
            ps.setLong(8, redemptionId);
            return ps;
        });
    }

    // (ledger ids in the order of the lots, as the history lists them; the customer's kept answer outdated, V36)
    private static final String SPEND = """
            WITH take AS (
                SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[]))
                              WITH ORDINALITY AS t (connection_id, source_id, customer_id, points, n)
            ), lots AS (
                UPDATE core.points_lot l SET active = l.active - t.points, consumed = l.consumed + t.points
                  FROM take t WHERE l.connection_id = t.connection_id AND l.source_id = t.source_id
            ), shares AS (
                INSERT INTO core.redemption_lot (redemption_id, connection_id, source_id, points)
                SELECT ?, connection_id, source_id, points FROM take
            ), changed AS (SELECT core.customers_changed(ARRAY[CAST(? AS bigint)]))
            INSERT INTO core.points_ledger (id, customer_id, entry_type, active_delta, effective_on, business_date,
                                            connection_id, source_id, redemption_id)
            SELECT nextval('core.points_ledger_redeem_id'), t.customer_id, 'REDEEM', -t.points, d.day, d.day, t.connection_id,
                   t.source_id, d.redemption_id
              FROM (SELECT * FROM take ORDER BY n) t CROSS JOIN (SELECT CAST(? AS date) AS day, CAST(? AS bigint) AS redemption_id) d
             CROSS JOIN changed""";

    private Redemption cancelLocked(String partnerId, long redemptionId) {
        lockPoints();
        Redemption found = findById(redemptionId).filter(r -> r.partnerId().equals(partnerId))
                .orElseThrow(() -> RedemptionRefused.unknownRedemption(redemptionId));
        List<Long> ids = lockCustomer(found.customerId());
        Redemption r = findById(redemptionId).orElseThrow();
        if (r.cancelledAt() != null) {
            return r;
        }
        Instant now = clock.instant();
        LocalDate today = now.atZone(ZoneId.of(r.zone())).toLocalDate();
        if (!today.equals(r.day())) {
            throw RedemptionRefused.notToday(redemptionId);
        }
        List<Taken> taken = jdbc.query("""
                SELECT t.connection_id, t.source_id, l.customer_id, t.points
                  FROM core.redemption_lot t
                  JOIN core.points_lot l ON l.connection_id = t.connection_id AND l.source_id = t.source_id
                 WHERE t.redemption_id = ? ORDER BY t.connection_id, t.source_id""",
                (rs, n) -> new Taken(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)), redemptionId);
        for (Taken t : taken) {
            jdbc.update("UPDATE core.points_lot SET active = active + ?, consumed = consumed - ? "
                    + "WHERE connection_id = ? AND source_id = ?", t.points(), t.points(), t.connectionId(), t.sourceId());
            ledger(t.customerId(), "REDEEM_CANCEL", t.points(), today, t.connectionId(), t.sourceId(), redemptionId);
        }
        jdbc.update("UPDATE core.redemption SET cancelled_at = ? WHERE id = ?", Timestamp.from(now), redemptionId);
        lots.changed(r.customerId());
        return new Redemption(r.id(), r.customerId(), r.partnerId(), r.points(), r.receiptRef(),
                PointsLots.spendable(lots.open(ids, today)), r.createdAt(), r.zone(), r.day(), now);
    }

    private void ledger(long customerId, String type, long activeDelta, LocalDate day, String connectionId, String sourceId,
                        long redemptionId) {
        jdbc.update("""
                INSERT INTO core.points_ledger (id, customer_id, entry_type, active_delta, effective_on, business_date,
                                                connection_id, source_id, redemption_id)
                VALUES (nextval('core.points_ledger_redeem_id'), ?, ?, ?, ?, ?, ?, ?, ?)""",
                customerId, type, activeDelta, day, day, connectionId, sourceId, redemptionId);
    }

    private void lockPoints() {
        jdbc.queryForList(POINTS_LOCK);
    }

    // The customer's row locked for this transaction, with what a redemption needs to know first: their ids
    // (theirs, then those merged into it), the partner's zone and a redemption already made with this key.
    // One statement instead of four (bench api: fewer round trips a redemption). Nothing merges customers
    // meanwhile: the night does, under the points lock held exclusively.
    private static final String LOCK_HOLDER = """
            SELECT c.id, ARRAY(SELECT m.id FROM core.customer m WHERE m.merged_into = c.id ORDER BY m.id),
                   (SELECT p.zone FROM ops.partner_connection p WHERE p.partner_id = ? ORDER BY p.id LIMIT 1),
                   (SELECT r.id FROM core.redemption r WHERE r.idempotency_scope = ? AND r.idempotency_key = ?)
              FROM core.customer c
             WHERE c.id = ? AND c.merged_into IS NULL AND c.erased_at IS NULL
               FOR NO KEY UPDATE OF c""";

    private record Holder(List<Long> ids, ZoneId zone, Long earlierId) {
    }

    private Holder lockHolder(Redemption.Request request) {
        List<Holder> found = jdbc.query(LOCK_HOLDER, (rs, n) -> {
            List<Long> ids = new ArrayList<>();
            ids.add(rs.getLong(1));
            ids.addAll(Arrays.asList((Long[]) rs.getArray(2).getArray()));
            String zone = rs.getString(3);
            if (zone == null) {
                throw RedemptionRefused.unknownPartner(request.partnerId());
            }
            long earlier = rs.getLong(4);
            return new Holder(ids, ZoneId.of(zone), rs.wasNull() ? null : earlier);
        }, request.partnerId(), request.scope(), request.idempotencyKey(), request.customerId());
        if (found.isEmpty()) {
            throw RedemptionRefused.unknownCustomer();
        }
        return found.get(0);
    }

    /** Locks the customer's row for this transaction; their ids with those merged into them. */
    private List<Long> lockCustomer(long customerId) {
        List<Long> locked = jdbc.queryForList("SELECT id FROM core.customer WHERE id = ? AND merged_into IS NULL FOR NO KEY UPDATE",
                Long.class, customerId);
        if (locked.isEmpty()) {
            throw RedemptionRefused.unknownCustomer();
        }
        return lots.customerIds(customerId).orElseThrow(RedemptionRefused::unknownCustomer);
    }

    private Redemption.Outcome replay(Redemption.Request request, Redemption first) {
        if (first.customerId() != request.customerId() || !first.partnerId().equals(request.partnerId())
                || first.points() != request.points() || !Objects.equals(first.receiptRef(), request.receiptRef())) {
            throw RedemptionRefused.keyReused();
        }
        return new Redemption.Outcome(first, true);
    }

    private Optional<Redemption> findByKey(Redemption.Request request) {
        return jdbc.query(SELECT + " WHERE idempotency_scope = ? AND idempotency_key = ?", ROW, request.scope(),
                request.idempotencyKey()).stream().findFirst();
    }

    /** One redemption by its id. */
    public Optional<Redemption> findById(long id) {
        return jdbc.query(SELECT + " WHERE id = ?", ROW, id).stream().findFirst();
    }

    private static final String SELECT = """
            SELECT id, customer_id, partner_id, points, receipt_ref, active_after, created_at, zone, local_day, cancelled_at
              FROM core.redemption""";

    private static final RowMapper<Redemption> ROW = (rs, n) -> new Redemption(rs.getLong(1), rs.getLong(2), rs.getString(3),
            rs.getLong(4), rs.getString(5), rs.getLong(6), rs.getTimestamp(7).toInstant(), rs.getString(8),
            rs.getObject(9, LocalDate.class), rs.getTimestamp(10) == null ? null : rs.getTimestamp(10).toInstant());

    private record Taken(String connectionId, String sourceId, long customerId, long points) {
    }

    /** The key was taken by a request that committed after we looked: roll back and answer as it was answered. */
    private static final class KeyTakenMeanwhile extends RuntimeException {
        KeyTakenMeanwhile() {
            super(null, null, false, false);
        }
    }
}
