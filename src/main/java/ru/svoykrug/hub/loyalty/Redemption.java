package ru.svoykrug.hub.loyalty;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Points spent at a partner: how many, the active points the customer had left right after, when (the
 * instant in UTC, and the day in the partner's zone, the only day it can be cancelled on), and whether the
 * partner cancelled it.
 */
public record Redemption(long id, long customerId, String partnerId, long points, String receiptRef, long activeAfter,
                         Instant createdAt, String zone, LocalDate day, Instant cancelledAt) {

    /** Who asked for a redemption. */
    public enum Channel { CUSTOMER, PARTNER }

    /**
     * A request to spend points. {@code idempotencyKey} identifies it within its channel's scope (the
     * customer, or the partner): a request repeated with the same key spends nothing and gets the first answer.
     */
    public record Request(long customerId, String partnerId, long points, Channel channel, String idempotencyKey,
                          String receiptRef) {

        String scope() {
            return channel == Channel.CUSTOMER ? "customer:" + customerId : "partner:" + partnerId;
        }
    }

    /** A redemption and whether this answer repeats an earlier one (the same key again). */
    public record Outcome(Redemption redemption, boolean replayed) {
    }
}
