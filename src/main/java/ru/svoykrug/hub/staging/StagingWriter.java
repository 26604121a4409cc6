package ru.svoykrug.hub.staging;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.privacy.PersonalData;
import ru.svoykrug.hub.privacy.PhoneIndex;
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

    // Names and phones are staged sealed, phones beside their blind index (the privacy package): the
    // plain values of a page never reach the database.
    private static final StagingUpsert<Sealed<CustomerRow>> CUSTOMERS = new StagingUpsert<>("staging.customer", false,
            r -> r.row().sourceId(), r -> r.row().sourceChangedAt(), List.of(
            StagingUpsert.sealed("name_sealed", Sealed::name),
            StagingUpsert.text("phone_key", Sealed::phoneKey),
            StagingUpsert.sealed("phone_sealed", Sealed::phone),
            StagingUpsert.text("pd_fingerprint", Sealed::fingerprint),
            StagingUpsert.bool("deleted", r -> r.row().deleted())));

    private static final StagingUpsert<Sealed<SaleRow>> SALES = new StagingUpsert<>("staging.sale", true,
            r -> r.row().sourceId(), r -> r.row().sourceChangedAt(), List.of(
            StagingUpsert.text("kind", r -> r.row().kind().name()),
            StagingUpsert.text("status", r -> r.row().status().name()),
            StagingUpsert.text("customer_source_id", r -> r.row().customerSourceId()),
            StagingUpsert.text("phone_key", Sealed::phoneKey),
            StagingUpsert.sealed("phone_sealed", Sealed::phone),
            StagingUpsert.instant("occurred_at", r -> r.row().occurredAt()),
            StagingUpsert.kopecks("amount_kopecks", r -> r.row().amountKopecks())));

    private static final StagingUpsert<Sealed<PaymentRow>> PAYMENTS = new StagingUpsert<>("staging.payment", true,
            r -> r.row().sourceId(), r -> r.row().sourceChangedAt(), List.of(
            StagingUpsert.text("sale_source_id", r -> r.row().saleSourceId()),
            StagingUpsert.text("customer_source_id", r -> r.row().customerSourceId()),
            StagingUpsert.text("phone_key", Sealed::phoneKey),
            StagingUpsert.sealed("phone_sealed", Sealed::phone),
            StagingUpsert.instant("occurred_at", r -> r.row().occurredAt()),
            StagingUpsert.kopecks("amount_kopecks", r -> r.row().amountKopecks()),
            StagingUpsert.bool("deleted", r -> r.row().deleted())));

    /** A staged row with its personal data sealed: what the upsert writes instead of the plain values. */
    record Sealed<T>(T row, byte[] name, String phoneKey, byte[] phone, String fingerprint) {
    }

    private final JdbcTemplate jdbc;
    private final PersonalData personalData;
    private final PhoneIndex phoneIndex;

    public StagingWriter(JdbcTemplate jdbc, PersonalData personalData, PhoneIndex phoneIndex) {
        this.jdbc = jdbc;
        this.personalData = personalData;
        this.phoneIndex = phoneIndex;
    }

    /** Upserts a page's rows; call inside a transaction. Returns the rows changed. */
    public long upsert(PartnerConnection c, StagedPage page) {
        return upsert(c, CUSTOMERS, latestBySource(page.customers, CustomerRow::sourceId, CustomerRow::sourceChangedAt)
                        .stream().map(r -> seal(c, r)).toList())
                + upsert(c, SALES, latestBySource(page.sales, SaleRow::sourceId, SaleRow::sourceChangedAt)
                        .stream().map(r -> seal(r, r.phoneE164())).toList())
                + upsert(c, PAYMENTS, latestBySource(page.payments, PaymentRow::sourceId, PaymentRow::sourceChangedAt)
                        .stream().map(r -> seal(r, r.phoneE164())).toList())
                + retire(c, page) + salesOfTheirPayments(c, page.salesFromPayments);
    }

    private Sealed<CustomerRow> seal(PartnerConnection c, CustomerRow r) {
        String name = r.name() == null || r.name().isBlank() ? null : r.name();
        return new Sealed<>(r, personalData.seal(PersonalData.Kind.NAME, name), phoneIndex.of(r.phoneE164()),
                personalData.seal(PersonalData.Kind.PHONE, r.phoneE164()),
                phoneIndex.fingerprint(c.id(), r.sourceId(), name, r.phoneE164()));
    }

    private <T> Sealed<T> seal(T row, String phone) {
        return new Sealed<>(row, null, phoneIndex.of(phone), personalData.seal(PersonalData.Kind.PHONE, phone), null);
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
                    INSERT INTO staging.sale AS t (connection_id, zone, source_id, kind, status, customer_source_id, phone_key,
                                                   phone_sealed, occurred_at, amount_kopecks, source_changed_at)
                    SELECT p.connection_id, min(p.zone), p.sale_source_id, 'SALE',
                           CASE WHEN coalesce(sum(p.amount_kopecks) FILTER (WHERE p.amount_kopecks > 0 AND NOT p.deleted), 0) > 0
                                THEN 'COMPLETED' ELSE 'VOID' END,
                           (array_agg(p.customer_source_id ORDER BY p.occurred_at, p.source_id)
                                FILTER (WHERE p.customer_source_id IS NOT NULL))[1],
                           (array_agg(p.phone_key ORDER BY p.occurred_at, p.source_id) FILTER (WHERE p.phone_key IS NOT NULL))[1],
                           (array_agg(p.phone_sealed ORDER BY p.occurred_at, p.source_id) FILTER (WHERE p.phone_key IS NOT NULL))[1],
                           coalesce(min(p.occurred_at) FILTER (WHERE p.amount_kopecks > 0 AND NOT p.deleted), min(p.occurred_at)),
                           coalesce(sum(p.amount_kopecks) FILTER (WHERE p.amount_kopecks > 0 AND NOT p.deleted), 0),
                           max(p.source_changed_at)
                      FROM staging.payment p
                     WHERE p.connection_id = ? AND p.sale_source_id = ANY (?)
                     GROUP BY p.connection_id, p.sale_source_id
                    ON CONFLICT (connection_id, source_id) DO UPDATE
                       SET status = EXCLUDED.status, customer_source_id = EXCLUDED.customer_source_id,
                           phone_key = EXCLUDED.phone_key, phone_sealed = EXCLUDED.phone_sealed, occurred_at = EXCLUDED.occurred_at,
                           amount_kopecks = EXCLUDED.amount_kopecks, source_changed_at = EXCLUDED.source_changed_at,
                           zone = EXCLUDED.zone, updated_at = now()
                     WHERE (t.status, t.customer_source_id, t.phone_key, t.occurred_at, t.amount_kopecks, t.source_changed_at)
                           IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.customer_source_id, EXCLUDED.phone_key,
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
