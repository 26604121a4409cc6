package ru.svoykrug.hub.partners;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import ru.svoykrug.hub.audit.Actor;
import ru.svoykrug.hub.audit.AuditEntry;
import ru.svoykrug.hub.audit.AuditTrail;
import ru.svoykrug.hub.connections.ConnectionRepository;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;

/**
 * {@code GET /api/v1/partners/{partnerId}/customers}: the partner's customers with their segment and churn
 * risk in the partner's scope, last visit at the partner and points balance; ids only ({@link PartnerCustomers}).
 *
 * <p>Each of those figures is about one person (a customer id is a person known to the hub), so every
 * customer on the page is an audited read: one {@code READ} row each, written in one batch in the read's
 * own transaction, so a page that was answered was audited and an audit that failed answers nothing.
 */
@RestController
class PartnerCustomersApi {

    private static final String SEGMENT = "[A-Za-z][A-Za-z _-]{0,39}";

    /** What the answer tells of each customer besides the id: the audit's field names. */
    static final List<String> FIELDS = List.of("segment", "churn_risk", "last_visit", "points");

    private final PartnerCustomers customers;
    private final ConnectionRepository connections;
    private final AuditTrail audit;
    private final TransactionTemplate transaction;
    private final Clock clock;

    PartnerCustomersApi(PartnerCustomers customers, ConnectionRepository connections, AuditTrail audit,
                        TransactionTemplate transaction, Clock clock) {
        this.customers = customers;
        this.connections = connections;
        this.audit = audit;
        this.transaction = transaction;
        this.clock = clock;
    }

    @GetMapping("/api/v1/partners/{partnerId}/customers")
    Answer customers(@AuthenticationPrincipal Jwt jwt,
                     @PathVariable @Pattern(regexp = PartnerApi.PARTNER_ID) String partnerId,
                     @RequestParam(required = false) @Pattern(regexp = SEGMENT) String segment,
                     @RequestParam(required = false) @DecimalMin("0") @DecimalMax("1") Double minChurnRisk,
                     @RequestParam(required = false) @Pattern(regexp = "[A-Za-z0-9_-]{1,40}") String cursor,
                     @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        List<ru.svoykrug.hub.connections.PartnerConnection> own = connections.findByPartner(partnerId);
        ZoneId zone = own.isEmpty() ? ZoneId.of("Europe/Moscow") : own.get(0).zone();
        long after = after(cursor);
        LocalDate today = LocalDate.now(clock.withZone(zone));
        Actor actor = Actor.of(jwt);
        String channel = "GET /api/v1/partners/" + partnerId + "/customers";
        PartnerCustomers.Page page = transaction.execute(status -> {
            PartnerCustomers.Page read = customers.page(partnerId, segment, minChurnRisk, after, limit, today);
            audit.recordAll(read.customers().stream()
                    .map(c -> new AuditEntry(actor, AuditEntry.Action.READ, FIELDS, channel, c.customerId(), null, null, null))
                    .toList());
            return read;
        });
        return new Answer(page.customers(), page.lastId() == null ? null : Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("c:" + page.lastId()).getBytes(StandardCharsets.UTF_8)));
    }

    private static long after(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.matches("c:[0-9]{1,18}")) {
                return Long.parseLong(text.substring(2));
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new IllegalArgumentException("cursor is not one this API gave");
    }

    record Answer(List<PartnerCustomers.Customer> customers, String nextCursor) {
    }
}
