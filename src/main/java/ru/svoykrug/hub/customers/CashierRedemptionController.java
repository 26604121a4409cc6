package ru.svoykrug.hub.customers;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import ru.svoykrug.hub.audit.Actor;
import ru.svoykrug.hub.audit.AuditEntry;
import ru.svoykrug.hub.loyalty.Redemption;
import ru.svoykrug.hub.loyalty.Redemptions;

/**
 * A partner's till spends a customer's points ({@code /api/v1/partners/{partnerId}/redemptions}, role
 * {@code PARTNER} of that partner, or {@code OPS}): the customer by id or by phone (any form a cashier types,
 * normalised to E.164), a receipt to know a repeated request by. The partner cancels its own on the same day.
 * Both are audited as changes of the customer's points (a customer found by phone: the phone read too), in the
 * redemption's or the cancellation's transaction.
 */
@RestController
@RequestMapping("/api/v1/partners/{partnerId}/redemptions")
class CashierRedemptionController {

    private static final String PATH = "/api/v1/partners/{partnerId}/redemptions";

    private final CustomerQueries queries;
    private final Redemptions redemptions;

    CashierRedemptionController(CustomerQueries queries, Redemptions redemptions) {
        this.queries = queries;
        this.redemptions = redemptions;
    }

    /** A repeated receipt (or {@code Idempotency-Key}, when given) gets the first answer and spends nothing. */
    @PostMapping
    ResponseEntity<CustomerViews.RedemptionView> redeem(@AuthenticationPrincipal Jwt jwt, @PathVariable String partnerId,
                                                        @RequestHeader(name = CustomerController.IDEMPOTENCY_KEY, required = false) String key,
                                                        @RequestBody CashierBody body) {
        String partner = RedemptionInput.partnerId(partnerId);
        if (body == null) {
            throw new IllegalArgumentException("a body {customerId or phone, points, receiptRef} is required");
        }
        long points = RedemptionInput.points(body.points());
        String receipt = RedemptionInput.token(body.receiptRef(), "receiptRef", true);
        String checkedKey = RedemptionInput.token(key, CustomerController.IDEMPOTENCY_KEY, false);
        long customerId = customer(body);
        Redemption.Outcome outcome = redemptions.redeem(new Redemption.Request(customerId, partner, points,
                        Redemption.Channel.PARTNER, checkedKey == null ? "receipt:" + receipt : "key:" + checkedKey, receipt),
                AuditEntry.of(Actor.of(jwt), AuditEntry.Action.CHANGE, customerId, "POST " + PATH,
                        body.phone() == null ? new String[]{"points"} : new String[]{"phone", "points"}));
        return CustomerController.created(outcome);
    }

    @PostMapping("/{redemptionId}/cancel")
    CustomerViews.RedemptionView cancel(@AuthenticationPrincipal Jwt jwt, @PathVariable String partnerId,
                                        @PathVariable String redemptionId) {
        Redemption cancelled = redemptions.cancel(RedemptionInput.partnerId(partnerId), RedemptionInput.id(redemptionId),
                customerId -> AuditEntry.of(Actor.of(jwt), AuditEntry.Action.CHANGE, customerId,
                        "POST " + PATH + "/{redemptionId}/cancel", "points"));
        return CustomerViews.RedemptionView.of(cancelled);
    }

    private long customer(CashierBody body) {
        if ((body.customerId() == null) == (body.phone() == null)) {
            throw new IllegalArgumentException("give either customerId or phone");
        }
        if (body.customerId() != null) {
            return body.customerId();
        }
        // as a cashier types it: digits and the marks around them, nothing else (the library would find a number in any text)
        if (!body.phone().matches("[0-9+()\\-. ]{5,32}")) {
            throw new IllegalArgumentException("phone: expected digits, with +, spaces, brackets or dashes only");
        }
        String e164 = PhoneNumbers.toE164(body.phone())
                .orElseThrow(() -> new IllegalArgumentException("phone is not a usable phone number"));
        return queries.byPhone(e164).orElseThrow(CustomerController::unknownCustomer);
    }

    record CashierBody(Long customerId, String phone, Long points, String receiptRef) {
    }
}
