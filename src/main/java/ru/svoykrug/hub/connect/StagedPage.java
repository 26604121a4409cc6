package ru.svoykrug.hub.connect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a stream after mapping: canonical rows to upsert, records that could not be mapped,
 * and the newest change marker seen, from which the cursor moves on.
 */
public final class StagedPage {

    public final List<CustomerRow> customers = new ArrayList<>();
    public final List<SaleRow> sales = new ArrayList<>();
    public final List<PaymentRow> payments = new ArrayList<>();
    public final List<Rejected> rejected = new ArrayList<>();
    private int recordsRead;
    private Instant maxChangedAt;

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

    /** A record that could not be mapped; the payload is what may be kept of it (never medical text). */
    public record Rejected(String sourceId, String reason, String payload) {
    }

    public enum SaleKind { SALE, REFUND }

    public enum SaleStatus { COMPLETED, PENDING, NO_SHOW, VOID }
}
