package ru.svoykrug.hub.staging;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.staging.StagedPage.CustomerRow;
import ru.svoykrug.hub.staging.StagedPage.PaymentRow;
import ru.svoykrug.hub.staging.StagedPage.SaleRow;

import java.sql.Connection;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Upserts a mapped page's rows into staging (a sync's page, or a history import's file). Call inside a
 * transaction: a sync commits the rows with its cursor (the sync package's PageWriter).
 *
 * <p>Rows are upserted by (connection, source id) with one set-based statement per table. A row only
 * changes when the source's change marker is newer (a stale re-read in the overlap window never undoes
 * a later change) and something actually differs, so "written" counts real changes.
 */
@Component
public class StagingWriter {

    private static final StagingUpsert<CustomerRow> CUSTOMERS = new StagingUpsert<>("staging.customer", false,
            CustomerRow::sourceId, CustomerRow::sourceChangedAt, List.of(
            StagingUpsert.text("name", CustomerRow::name),
            StagingUpsert.text("phone_e164", CustomerRow::phoneE164),
            StagingUpsert.bool("deleted", CustomerRow::deleted)));

    private static final StagingUpsert<SaleRow> SALES = new StagingUpsert<>("staging.sale", true,
            SaleRow::sourceId, SaleRow::sourceChangedAt, List.of(
            StagingUpsert.text("kind", r -> r.kind().name()),
            StagingUpsert.text("status", r -> r.status().name()),
            StagingUpsert.text("customer_source_id", SaleRow::customerSourceId),
            StagingUpsert.text("phone_e164", SaleRow::phoneE164),
            StagingUpsert.instant("occurred_at", SaleRow::occurredAt),
            StagingUpsert.kopecks("amount_kopecks", SaleRow::amountKopecks)));

    private static final StagingUpsert<PaymentRow> PAYMENTS = new StagingUpsert<>("staging.payment", true,
            PaymentRow::sourceId, PaymentRow::sourceChangedAt, List.of(
            StagingUpsert.text("sale_source_id", PaymentRow::saleSourceId),
            StagingUpsert.text("customer_source_id", PaymentRow::customerSourceId),
            StagingUpsert.text("phone_e164", PaymentRow::phoneE164),
            StagingUpsert.instant("occurred_at", PaymentRow::occurredAt),
            StagingUpsert.kopecks("amount_kopecks", PaymentRow::amountKopecks),
            StagingUpsert.bool("deleted", PaymentRow::deleted)));

    private final JdbcTemplate jdbc;

    public StagingWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Upserts a page's rows; call inside a transaction. Returns the rows changed. */
    public long upsert(PartnerConnection c, StagedPage page) {
        return upsert(c, CUSTOMERS, latestBySource(page.customers, CustomerRow::sourceId, CustomerRow::sourceChangedAt))
                + upsert(c, SALES, latestBySource(page.sales, SaleRow::sourceId, SaleRow::sourceChangedAt))
                + upsert(c, PAYMENTS, latestBySource(page.payments, PaymentRow::sourceId, PaymentRow::sourceChangedAt))
                + retire(c, page) + salesOfTheirPayments(c, page.salesFromPayments);
    }

    private <T> long upsert(PartnerConnection c, StagingUpsert<T> table, Collection<T> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        return jdbc.execute((Connection con) -> table.execute(con, c.id(), c.zone().getId(), rows));
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
}
