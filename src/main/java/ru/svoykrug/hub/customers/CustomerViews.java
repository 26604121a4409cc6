package ru.svoykrug.hub.customers;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** What the customer API answers with (JSON, camelCase; money in kopecks). */
final class CustomerViews {

    private CustomerViews() {
    }

    /** Why a customer's segment is absent although the night may have computed one. */
    static final String NO_CONSENT = "no consent to processing: not scored, segmented or exported";

    /** {@code GET /customers/me}: {@code segmentWithheld} says why {@code segment} is null when it is for consent. */
    record Me(long customerId, Points points, Tier tier, Segment segment, String segmentWithheld, List<PartnerVisited> partners,
              ConsentView consent) {
    }

    /**
     * Consent to processing: {@code given}, {@code since} when and {@code by} whom (CUSTOMER, PARTNER, OPS);
     * {@code recorded} false (since and by null) when nobody has said and the hub's default applies.
     */
    record ConsentView(boolean given, Instant since, String by, boolean recorded) {

        static ConsentView of(ru.svoykrug.hub.privacy.Consent c) {
            return new ConsentView(c.given(), c.since(), c.byRole(), c.recorded());
        }
    }

    /** Active points can be spent now; pending ones become active 14 days after their purchase. */
    record Points(long active, long pending, long expiringIn30Days, List<Expiring> expiring) {
    }

    record Expiring(LocalDate on, long points) {
    }

    /** The tier as of the last night, its 12-month spend, and what is still to spend for the next (null at the top). */
    record Tier(String name, long spend12mKopecks, String nextTier, Long spendToNextKopecks, LocalDate asOf) {
    }

    /** The circle's RFM segment as of the last night (null before the customer's first night). */
    record Segment(String name, int recency, int frequency, int monetary, LocalDate asOf) {
    }

    record PartnerVisited(String partnerId, String name, LocalDate lastVisit, int purchases) {
    }

    record Partner(String id, String name) {
    }

    /** A ledger entry: EARN, ACTIVATE, EXPIRE, REVERSE, REDEEM, REDEEM_CANCEL. */
    record PointsEntry(long id, String type, long pendingDelta, long activeDelta, LocalDate date, Partner partner,
                       Long redemptionId) {
    }

    /** A purchase; a medical partner's shows its day and amounts only. */
    record Purchase(Partner partner, LocalDate day, Instant occurredAt, long amountKopecks, long refundedKopecks,
                    boolean completed) {
    }

    /** A redemption as its customer or its partner's cashier sees it. */
    record RedemptionView(long id, long customerId, String partnerId, long points, String receiptRef, long activeBalance,
                          Instant createdAt, String zone, LocalDate day, String status, Instant cancelledAt) {

        static RedemptionView of(ru.svoykrug.hub.loyalty.Redemption r) {
            return new RedemptionView(r.id(), r.customerId(), r.partnerId(), r.points(), r.receiptRef(), r.activeAfter(),
                    r.createdAt(), r.zone(), r.day(), r.cancelledAt() == null ? "DONE" : "CANCELLED", r.cancelledAt());
        }
    }
}
