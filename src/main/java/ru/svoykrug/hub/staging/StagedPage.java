package ru.svoykrug.hub.staging;

import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One page of a stream after mapping: canonical rows to upsert, records that could not be mapped,
 * and the newest change marker seen, from which the cursor moves on.
 */
public final class StagedPage {

    public final List<CustomerRow> customers = new ArrayList<>();
    public final List<SaleRow> sales = new ArrayList<>();
    public final List<PaymentRow> payments = new ArrayList<>();
    public final List<Rejected> rejected = new ArrayList<>();
    /** Source ids of the records this page mapped: a dead letter of one of them is settled (it is no longer bad). */
    public final Set<String> mapped = new LinkedHashSet<>();
    /** Source ids whose sale row, if staged, is void now: the record became something else (a 1C return). */
    public final Set<String> retiredSales = new LinkedHashSet<>();
    /** Source ids whose payment row, if staged, is deleted now: the record became something else (a 1C sale). */
    public final Set<String> retiredPayments = new LinkedHashSet<>();
    /**
     * Sales that exist only through their payments (a YCLIENTS counter sale of goods): each is staged from
     * its staged payments, its amount the sum of those that are money in and not deleted.
     */
    public final Set<String> salesFromPayments = new LinkedHashSet<>();
    /** Work a connector needs done in the page's own transaction before its rows are written (a lock). */
    public final List<Consumer<JdbcTemplate>> beforeRows = new ArrayList<>();
    /** Work a connector needs done in the page's own transaction, after its rows are written. */
    public final List<Consumer<JdbcTemplate>> inTransaction = new ArrayList<>();
    private int recordsRead;
    private Instant maxChangedAt;
    private final Map<String, Instant> changes = new LinkedHashMap<>();

    public void read(int records) {
        recordsRead += records;
    }

    public int recordsRead() {
        return recordsRead;
    }

    public void seen(Instant changedAt) {
        if (changedAt != null && (maxChangedAt == null || changedAt.isAfter(maxChangedAt))) {
            maxChangedAt = changedAt;
        }
    }

    /** A record of the page and when the source last changed it, for sources read by page number in order of change. */
    public void seen(String sourceId, Instant changedAt) {
        seen(changedAt);
        if (sourceId != null && changedAt != null) {
            changes.putIfAbsent(sourceId.trim(), changedAt);
        }
    }

    /** The page's records by source id, with the time each was last changed. */
    public Map<String, Instant> changes() {
        return changes;
    }

    public Instant maxChangedAt() {
        return maxChangedAt;
    }

    public record CustomerRow(String sourceId, String name, String phoneE164, boolean deleted, Instant sourceChangedAt) {
    }

    public record SaleRow(String sourceId, SaleKind kind, SaleStatus status, String customerSourceId, String phoneE164,
                          Instant occurredAt, long amountKopecks, Instant sourceChangedAt) {
    }

    public record PaymentRow(String sourceId, String saleSourceId, String customerSourceId, String phoneE164,
                             Instant occurredAt, long amountKopecks, boolean deleted, Instant sourceChangedAt) {
    }

    /**
     * A record that could not be mapped: what a dead letter keeps of it, which is never a value of the
     * record (no name, phone, e-mail, birth date, staff, title or diagnosis). {@code recordKey} names the
     * record among its stream's records for the dead letter's key: its source id, or for a record without
     * one a digest of its content (a re-read of the same record finds the same dead letter).
     */
    public record Rejected(String sourceId, String recordKey, String fields, String reason) {

        private static final Pattern SOURCE_ID = Pattern.compile("[A-Za-z0-9_.:#-]{1,80}");

        public static Rejected of(String sourceId, Object record, MappingException e) {
            return of(sourceId, record, e.field(), e.getMessage());
        }

        public static Rejected of(String sourceId, Object record, String fields, String reason) {
            // an id that is not an id's shape may be anything (a name typed into the wrong field): not kept
            String id = sourceId == null || !SOURCE_ID.matcher(sourceId.trim()).matches() ? null : sourceId.trim();
            return new Rejected(id, id != null ? id : "sha256:" + sha256(String.valueOf(record)), fields, reason);
        }

        private static String sha256(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** New rows are SALE; a refund is a negative payment naming its sale (REFUND stays for rows staged before). */
    public enum SaleKind { SALE, REFUND }

    public enum SaleStatus { COMPLETED, PENDING, NO_SHOW, VOID }
}
