package ru.svoykrug.hub.customers;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import ru.svoykrug.hub.audit.Actor;
import ru.svoykrug.hub.audit.AuditTrail;
import ru.svoykrug.hub.privacy.Consents;

/**
 * A customer gives or withdraws their consent to processing ({@code /api/v1/customers/me/consent}, role
 * CUSTOMER). Withdrawn: from the next night on they are not scored, segmented or exported to analytics.
 */
@RestController
@RequestMapping("/api/v1/customers/me/consent")
class ConsentController {

    private static final String PATH = "/api/v1/customers/me/consent";

    private final CustomerQueries customers;
    private final Consents consents;
    private final AuditTrail audit;

    ConsentController(CustomerQueries customers, Consents consents, AuditTrail audit) {
        this.customers = customers;
        this.consents = consents;
        this.audit = audit;
    }

    @GetMapping
    CustomerViews.ConsentView get(@AuthenticationPrincipal Jwt jwt) {
        long id = known(jwt);
        CustomerViews.ConsentView consent = CustomerViews.ConsentView.of(consents.of(id));
        audit.read(Actor.of(jwt), id, "GET " + PATH, "consent");
        return consent;
    }

    /** {@code {"given": true|false}}; the same word again changes nothing. */
    @PutMapping
    CustomerViews.ConsentView put(@AuthenticationPrincipal Jwt jwt, @RequestBody ConsentBody body) {
        boolean given = given(body);
        long id = known(jwt);
        return CustomerViews.ConsentView.of(consents.set(id, given, Actor.of(jwt), "PUT " + PATH));
    }

    static boolean given(ConsentBody body) {
        if (body == null || body.given() == null) {
            throw new IllegalArgumentException("a body {\"given\": true|false} is required");
        }
        return body.given();
    }

    /** The token's customer, who must be a customer of the circle (not merged into another, not erased). */
    private long known(Jwt jwt) {
        long id = CustomerController.customerId(jwt);
        customers.ids(id).orElseThrow(CustomerController::unknownCustomer);
        return id;
    }

    record ConsentBody(Boolean given) {
    }
}
