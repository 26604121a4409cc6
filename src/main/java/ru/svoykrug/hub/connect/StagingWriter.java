package ru.svoykrug.hub.connect;

import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import ru.svoykrug.hub.connect.StagedPage.CustomerRow;
import ru.svoykrug.hub.connect.StagedPage.PaymentRow;
import ru.svoykrug.hub.connect.StagedPage.SaleRow;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes one mapped page: its rows, its dead letters, the stream's cursor and the run's counts, all in
 * one transaction, so that a crash at any point leaves the cursor exactly where the rows are.
 *
 * <p>Rows are upserted by (connection, source id) with one set-based statement per table. A row only
 * changes when the source's change marker is newer (a stale re-read in the overlap window never undoes
 * a later change) and something actually differs, so "written" counts real changes.
 */
@Component("stagingWriter")
public class StagingWriter {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SyncCursors cursors;
    private final ApplicationEventPublisher events;
    private final DeadLetters deadLetters;
    private final long brokenMinRecords;
    private final double brokenRejectedShare;

    public StagingWriter(JdbcTemplate jdbc, TransactionTemplate tx, SyncCursors cursors, ApplicationEventPublisher events,
                         DeadLetters deadLetters,
                         @Value("${hub.sync.mapping-broken.min-records:20}") long brokenMinRecords,
                         @Value("${hub.sync.mapping-broken.rejected-share:0.5}") double brokenRejectedShare) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.cursors = cursors;
        this.events = events;
        this.deadLetters = deadLetters;
        this.brokenMinRecords = brokenMinRecords;
        this.brokenRejectedShare = brokenRejectedShare;
    }

    /** Camel step: the body is a {@link StagedPage}, the next cursor position is in the exchange. */
    public void write(Exchange exchange) throws Exception {
        StreamSync sync = exchange.getProperty(StreamSync.PROPERTY, StreamSync.class);
        StagedPage page = exchange.getMessage().getMandatoryBody(StagedPage.class);
        NextPosition next = exchange.getProperty(NextPosition.PROPERTY, NextPosition.class);
        StreamCursor committed = write(sync, page, next.changes());
        sync.committed(committed, next.more());
        exchange.setProperty("hubHasMore", next.more());
        events.publishEvent(new PageCommitted(sync.connection().id(), sync.stream(), sync.runId(), page.recordsRead()));
        // Judged when the stream ends, over the whole run: a few bad pages among good ones are no format change.
        if (!next.more() && sync.mappingBroken(brokenMinRecords, brokenRejectedShare)) {
            throw new MappingBrokenException(sync.stream(), sync.recordsRejected(), sync.recordsRead());
        }
    }

    /** Upserts a page's rows outside any stream (a history import); call inside a transaction. Returns rows changed. */
    public long upsert(PartnerConnection c, StagedPage page) {
        return upsertRows(c, page);
    }

    StreamCursor write(StreamSync sync, StagedPage page, Map<String, String> nextPosition) {
        PartnerConnection c = sync.connection();
        int[] rejected = new int[1];
        StreamCursor cursor = tx.execute(status -> {
            page.beforeRows.forEach(work -> work.accept(jdbc));
            long written = upsertRows(c, page);
            page.inTransaction.forEach(work -> work.accept(jdbc));
            deadLetters.settle(c.id(), sync.stream(), page.mapped);
            rejected[0] = deadLetters.keep(c.id(), sync.runId(), sync.stream(), page.rejected);
            StreamCursor moved = cursors.move(c.id(), sync.stream(), sync.position(), nextPosition);
            jdbc.update("""
                    UPDATE ops.sync_run SET pages = pages + 1, records_read = records_read + ?,
                           records_written = records_written + ?, records_rejected = records_rejected + ?
                     WHERE id = ?""", page.recordsRead(), written, rejected[0], sync.runId());
            return moved;
        });
        sync.counted(page.recordsRead(), rejected[0]);
        return cursor;
    }

    private long upsertRows(PartnerConnection c, StagedPage page) {
        return upsertCustomers(c, page.customers) + upsertSales(c, page.sales) + upsertPayments(c, page.payments)
                + retire(c, page) + salesOfTheirPayments(c, page.salesFromPayments);
    }

    private long upsertCustomers(PartnerConnection c, List<CustomerRow> rows) {
        Collection<CustomerRow> latest = latestBySource(rows, CustomerRow::sourceId, CustomerRow::sourceChangedAt);
        if (latest.isEmpty()) {
            return 0;
        }
        return jdbc.execute((Connection con) -> {
            try (var ps = con.prepareStatement("""
                    INSERT INTO staging.customer AS t (connection_id, source_id, name, phone_e164, deleted, source_changed_at)
                    SELECT ?, s.* FROM unnest(?::text[], ?::text[], ?::text[], ?::boolean[], ?::timestamptz[])
                           AS s(source_id, name, phone_e164, deleted, source_changed_at)
                    ON CONFLICT (connection_id, source_id) DO UPDATE
                       SET name = EXCLUDED.name, phone_e164 = EXCLUDED.phone_e164, deleted = EXCLUDED.deleted,
                           source_changed_at = EXCLUDED.source_changed_at, updated_at = now()
                     WHERE t.source_changed_at < EXCLUDED.source_changed_at
                        OR (t.source_changed_at = EXCLUDED.source_changed_at
                            AND (t.name, t.phone_e164, t.deleted) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.phone_e164, EXCLUDED.deleted))
                    """)) {
                ps.setString(1, c.id());
                ps.setArray(2, text(con, latest, CustomerRow::sourceId));
                ps.setArray(3, text(con, latest, CustomerRow::name));
                ps.setArray(4, text(con, latest, CustomerRow::phoneE164));
                ps.setArray(5, con.createArrayOf("bool", latest.stream().map(CustomerRow::deleted).toArray()));
                ps.setArray(6, text(con, latest, r -> r.sourceChangedAt().toString()));
                return (long) ps.executeUpdate();
            }
        });
    }

    private long upsertSales(PartnerConnection c, List<SaleRow> rows) {
        Collection<SaleRow> latest = latestBySource(rows, SaleRow::sourceId, SaleRow::sourceChangedAt);
        if (latest.isEmpty()) {
            return 0;
        }
        return jdbc.execute((Connection con) -> {
            try (var ps = con.prepareStatement("""
                    INSERT INTO staging.sale AS t (connection_id, zone, source_id, kind, status, customer_source_id, phone_e164,
                                                   occurred_at, amount_kopecks, source_changed_at)
                    SELECT ?, ?, s.* FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[],
                                                 ?::bigint[], ?::timestamptz[])
                           AS s(source_id, kind, status, customer_source_id, phone_e164, occurred_at, amount_kopecks, source_changed_at)
                    ON CONFLICT (connection_id, source_id) DO UPDATE
                       SET kind = EXCLUDED.kind, status = EXCLUDED.status, customer_source_id = EXCLUDED.customer_source_id,
                           phone_e164 = EXCLUDED.phone_e164, occurred_at = EXCLUDED.occurred_at,
                           amount_kopecks = EXCLUDED.amount_kopecks, source_changed_at = EXCLUDED.source_changed_at,
                           zone = EXCLUDED.zone, updated_at = now()
                     WHERE t.source_changed_at < EXCLUDED.source_changed_at
                        OR (t.source_changed_at = EXCLUDED.source_changed_at
                            AND (t.kind, t.status, t.customer_source_id, t.phone_e164, t.occurred_at, t.amount_kopecks)
                                IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.status, EXCLUDED.customer_source_id,
                                                  EXCLUDED.phone_e164, EXCLUDED.occurred_at, EXCLUDED.amount_kopecks))
                    """)) {
                ps.setString(1, c.id());
                ps.setString(2, c.zone().getId());
                ps.setArray(3, text(con, latest, SaleRow::sourceId));
                ps.setArray(4, text(con, latest, r -> r.kind().name()));
                ps.setArray(5, text(con, latest, r -> r.status().name()));
                ps.setArray(6, text(con, latest, SaleRow::customerSourceId));
                ps.setArray(7, text(con, latest, SaleRow::phoneE164));
                ps.setArray(8, text(con, latest, r -> r.occurredAt().toString()));
                ps.setArray(9, con.createArrayOf("int8", latest.stream().map(SaleRow::amountKopecks).toArray()));
                ps.setArray(10, text(con, latest, r -> r.sourceChangedAt().toString()));
                return (long) ps.executeUpdate();
            }
        });
    }

    private long upsertPayments(PartnerConnection c, List<PaymentRow> rows) {
        Collection<PaymentRow> latest = latestBySource(rows, PaymentRow::sourceId, PaymentRow::sourceChangedAt);
        if (latest.isEmpty()) {
            return 0;
        }
        return jdbc.execute((Connection con) -> {
            try (var ps = con.prepareStatement("""
                    INSERT INTO staging.payment AS t (connection_id, zone, source_id, sale_source_id, customer_source_id, phone_e164,
                                                      occurred_at, amount_kopecks, deleted, source_changed_at)
                    SELECT ?, ?, s.* FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::bigint[],
                                                 ?::boolean[], ?::timestamptz[])
                           AS s(source_id, sale_source_id, customer_source_id, phone_e164, occurred_at, amount_kopecks, deleted,
                                source_changed_at)
                    ON CONFLICT (connection_id, source_id) DO UPDATE
                       SET sale_source_id = EXCLUDED.sale_source_id, customer_source_id = EXCLUDED.customer_source_id,
                           phone_e164 = EXCLUDED.phone_e164, occurred_at = EXCLUDED.occurred_at,
                           amount_kopecks = EXCLUDED.amount_kopecks, deleted = EXCLUDED.deleted,
                           source_changed_at = EXCLUDED.source_changed_at, zone = EXCLUDED.zone, updated_at = now()
                     WHERE t.source_changed_at < EXCLUDED.source_changed_at
                        OR (t.source_changed_at = EXCLUDED.source_changed_at
                            AND (t.sale_source_id, t.customer_source_id, t.phone_e164, t.occurred_at, t.amount_kopecks, t.deleted)
                                IS DISTINCT FROM (EXCLUDED.sale_source_id, EXCLUDED.customer_source_id, EXCLUDED.phone_e164,
                                                  EXCLUDED.occurred_at, EXCLUDED.amount_kopecks, EXCLUDED.deleted))
                    """)) {
                ps.setString(1, c.id());
                ps.setString(2, c.zone().getId());
                ps.setArray(3, text(con, latest, PaymentRow::sourceId));
                ps.setArray(4, text(con, latest, PaymentRow::saleSourceId));
                ps.setArray(5, text(con, latest, PaymentRow::customerSourceId));
                ps.setArray(6, text(con, latest, PaymentRow::phoneE164));
                ps.setArray(7, text(con, latest, r -> r.occurredAt().toString()));
                ps.setArray(8, con.createArrayOf("int8", latest.stream().map(PaymentRow::amountKopecks).toArray()));
                ps.setArray(9, con.createArrayOf("bool", latest.stream().map(PaymentRow::deleted).toArray()));
                ps.setArray(10, text(con, latest, r -> r.sourceChangedAt().toString()));
                return (long) ps.executeUpdate();
            }
        });
    }

    private long retire(PartnerConnection c, StagedPage page) {
        long changed = 0;
        if (!page.retiredSales.isEmpty()) {
            changed += jdbc.update(con -> {
                var ps = con.prepareStatement("UPDATE staging.sale SET status = 'VOID', updated_at = now() "
                        + "WHERE connection_id = ? AND source_id = ANY (?) AND status <> 'VOID'");
                ps.setString(1, c.id());
                ps.setArray(2, con.createArrayOf("text", page.retiredSales.toArray()));
                return ps;
            });
        }
        if (!page.retiredPayments.isEmpty()) {
            changed += jdbc.update(con -> {
                var ps = con.prepareStatement("UPDATE staging.payment SET deleted = true, updated_at = now() "
                        + "WHERE connection_id = ? AND source_id = ANY (?) AND NOT deleted");
                ps.setString(1, c.id());
                ps.setArray(2, con.createArrayOf("text", page.retiredPayments.toArray()));
                return ps;
            });
        }
        return changed;
    }

    /**
     * A sale known only through its payments, staged from them: the sum of the money in that is not
     * deleted (a refund does not lower it: the night reads refunds apart), at the first such payment's time.
     */
    private long salesOfTheirPayments(PartnerConnection c, java.util.Set<String> saleIds) {
        if (saleIds.isEmpty()) {
            return 0;
        }
        return jdbc.update(con -> {
            var ps = con.prepareStatement("""
                    INSERT INTO staging.sale AS t (connection_id, zone, source_id, kind, status, customer_source_id, phone_e164,
                                                   occurred_at, amount_kopecks, source_changed_at)
                    SELECT p.connection_id, min(p.zone), p.sale_source_id, 'SALE',
                           CASE WHEN coalesce(sum(p.amount_kopecks) FILTER (WHERE p.amount_kopecks > 0 AND NOT p.deleted), 0) > 0
                                THEN 'COMPLETED' ELSE 'VOID' END,
                           (array_agg(p.customer_source_id ORDER BY p.occurred_at, p.source_id)
                                FILTER (WHERE p.customer_source_id IS NOT NULL))[1],
                           (array_agg(p.phone_e164 ORDER BY p.occurred_at, p.source_id) FILTER (WHERE p.phone_e164 IS NOT NULL))[1],
                           coalesce(min(p.occurred_at) FILTER (WHERE p.amount_kopecks > 0 AND NOT p.deleted), min(p.occurred_at)),
                           coalesce(sum(p.amount_kopecks) FILTER (WHERE p.amount_kopecks > 0 AND NOT p.deleted), 0),
                           max(p.source_changed_at)
                      FROM staging.payment p
                     WHERE p.connection_id = ? AND p.sale_source_id = ANY (?)
                     GROUP BY p.connection_id, p.sale_source_id
                    ON CONFLICT (connection_id, source_id) DO UPDATE
                       SET status = EXCLUDED.status, customer_source_id = EXCLUDED.customer_source_id,
                           phone_e164 = EXCLUDED.phone_e164, occurred_at = EXCLUDED.occurred_at,
                           amount_kopecks = EXCLUDED.amount_kopecks, source_changed_at = EXCLUDED.source_changed_at,
                           zone = EXCLUDED.zone, updated_at = now()
                     WHERE (t.status, t.customer_source_id, t.phone_e164, t.occurred_at, t.amount_kopecks, t.source_changed_at)
                           IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.customer_source_id, EXCLUDED.phone_e164,
                                             EXCLUDED.occurred_at, EXCLUDED.amount_kopecks, EXCLUDED.source_changed_at)
                    """);
            ps.setString(1, c.id());
            ps.setArray(2, con.createArrayOf("text", saleIds.toArray()));
            return ps;
        });
    }

    /** A page may carry one record twice (a source that re-sorts while paging); keep its newest state. */
    private static <T> Collection<T> latestBySource(List<T> rows, Function<T, String> id, Function<T, Instant> changedAt) {
        Map<String, T> latest = new LinkedHashMap<>();
        for (T row : rows) {
            latest.merge(id.apply(row), row, (a, b) -> changedAt.apply(b).isBefore(changedAt.apply(a)) ? a : b);
        }
        return latest.values();
    }

    private static <T> Array text(Connection con, Collection<T> rows, Function<T, String> field) throws SQLException {
        return con.createArrayOf("text", rows.stream().map(field).toArray());
    }

    /** The cursor position a page moves its stream to, set on the exchange by the connector's reader. */
    public record NextPosition(Map<String, String> changes, boolean more) {
        public static final String PROPERTY = "hubNextPosition";
    }

    /** Published after a page is durably written. */
    public record PageCommitted(String connectionId, String stream, long runId, int recordsRead) {
    }
}
