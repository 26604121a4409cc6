package ru.svoykrug.hub.customers;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import ru.svoykrug.hub.audit.Actor;
import ru.svoykrug.hub.audit.AuditEntry;
import ru.svoykrug.hub.audit.AuditTrail;
import ru.svoykrug.hub.loyalty.Redemption;
import ru.svoykrug.hub.loyalty.Redemptions;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * The customer API: the token's subject is the customer, who sees and spends only their own points
 * ({@code /api/v1/customers/me/...}, role {@code CUSTOMER}, checked by the security configuration). Every
 * answer with their data is audited (the endpoint and the fields it showed); without consent to processing
 * the segment is withheld, whatever the last night computed.
 */
@RestController
@RequestMapping("/api/v1/customers/me")
class CustomerController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";

    private final CustomerQueries queries;
    private final MeAnswers me;
    private final Redemptions redemptions;
    private final AuditTrail audit;
    private final Clock clock;
    private final ZoneId zone;

    // the programme's zone, the night's (hub.nightly.zone): "today" for points that expire
    CustomerController(CustomerQueries queries, MeAnswers me, Redemptions redemptions, AuditTrail audit, Clock clock,
                       @Value("${hub.nightly.zone:Europe/Moscow}") ZoneId zone) {
        this.queries = queries;
        this.me = me;
        this.redemptions = redemptions;
        this.audit = audit;
        this.clock = clock;
        this.zone = zone;
    }

    // The body is the kept answer's JSON as it was written (MeAnswers); the schema says what it holds.
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "200", description = "The customer's points, tier, segment, partners visited and consent",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CustomerViews.Me.class)))
    ResponseEntity<String> me(@AuthenticationPrincipal Jwt jwt) {
        String body = me.answer(customerId(jwt), Actor.of(jwt), LocalDate.now(clock.withZone(zone)))
                .orElseThrow(CustomerController::unknownCustomer);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    @GetMapping("/points")
    PageCursor.Page<CustomerViews.PointsEntry> points(@AuthenticationPrincipal Jwt jwt,
                                                     @RequestParam(required = false) String cursor,
                                                     @RequestParam(required = false) String limit) {
        int checked = PageCursor.limit(limit);
        long id = customerId(jwt);
        PageCursor.Page<CustomerViews.PointsEntry> page = queries.entries(ids(id), cursor, checked);
        audit.read(Actor.of(jwt), id, "GET /api/v1/customers/me/points", "points_ledger");
        return page;
    }

    @GetMapping("/purchases")
    PageCursor.Page<CustomerViews.Purchase> purchases(@AuthenticationPrincipal Jwt jwt,
                                                     @RequestParam(required = false) String cursor,
                                                     @RequestParam(required = false) String limit) {
        int checked = PageCursor.limit(limit);
        long id = customerId(jwt);
        PageCursor.Page<CustomerViews.Purchase> page = queries.purchases(ids(id), cursor, checked);
        audit.read(Actor.of(jwt), id, "GET /api/v1/customers/me/purchases", "purchases");
        return page;
    }

    /** Spends points at a partner; the same {@code Idempotency-Key} again gets the first answer and spends nothing. */
    @PostMapping("/redemptions")
    ResponseEntity<CustomerViews.RedemptionView> redeem(@AuthenticationPrincipal Jwt jwt,
                                                        @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key,
                                                        @RequestBody RedeemBody body) {
        String checkedKey = RedemptionInput.token(key, IDEMPOTENCY_KEY, true);
        if (body == null) {
            throw new IllegalArgumentException("a body {partnerId, points} is required");
        }
        long id = customerId(jwt);
        Redemption.Outcome outcome = redemptions.redeem(new Redemption.Request(id,
                        RedemptionInput.partnerId(body.partnerId()), RedemptionInput.points(body.points()),
                        Redemption.Channel.CUSTOMER, checkedKey, null),
                AuditEntry.of(Actor.of(jwt), AuditEntry.Action.CHANGE, id, "POST /api/v1/customers/me/redemptions", "points"));
        return created(outcome);
    }

    static ResponseEntity<CustomerViews.RedemptionView> created(Redemption.Outcome outcome) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.CREATED);
        if (outcome.replayed()) {
            answer.header(REPLAYED, "true");
        }
        return answer.body(CustomerViews.RedemptionView.of(outcome.redemption()));
    }

    record RedeemBody(String partnerId, Long points) {
    }

    private List<Long> ids(long customerId) {
        return queries.ids(customerId).orElseThrow(CustomerController::unknownCustomer);
    }

    /** The token's subject; one that is no customer id names no customer. */
    static long customerId(Jwt jwt) {
        try {
            return Long.parseLong(jwt.getSubject());
        } catch (NumberFormatException e) {
            throw unknownCustomer();
        }
    }

    static ErrorResponseException unknownCustomer() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "No customer of the circle has this id (unknown, or merged into another)");
        problem.setTitle("Unknown customer");
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }
}
