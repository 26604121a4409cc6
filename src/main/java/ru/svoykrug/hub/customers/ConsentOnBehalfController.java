package ru.svoykrug.hub.customers;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import ru.svoykrug.hub.audit.Actor;
import ru.svoykrug.hub.audit.AuditTrail;
import ru.svoykrug.hub.privacy.Consents;

/**
 * Consent recorded for a customer by ops ({@code /api/v1/ops/customers/{id}/consent}, role OPS) or by a
 * partner whose desk took it ({@code /api/v1/partners/{partnerId}/customers/{id}/consent}, that partner or
 * OPS): a partner only for a customer of its own (linked to one of its connections by the night); any
 * other id is a 404, whether or not it is a customer elsewhere. Reads and changes are audited.
 */
@RestController
class ConsentOnBehalfController {

    private static final String OPS_PATH = "/api/v1/ops/customers/{customerId}/consent";
    private static final String PARTNER_PATH = "/api/v1/partners/{partnerId}/customers/{customerId}/consent";

    private final CustomerQueries customers;
    private final Consents consents;
    private final AuditTrail audit;
    private final JdbcTemplate jdbc;

    ConsentOnBehalfController(CustomerQueries customers, Consents consents, AuditTrail audit, JdbcTemplate jdbc) {
        this.customers = customers;
        this.consents = consents;
        this.audit = audit;
        this.jdbc = jdbc;
    }

    @GetMapping(OPS_PATH)
    CustomerViews.ConsentView opsGet(@AuthenticationPrincipal Jwt jwt, @PathVariable String customerId) {
        long id = known(customerId);
        CustomerViews.ConsentView consent = CustomerViews.ConsentView.of(consents.of(id));
        audit.read(Actor.of(jwt), id, "GET " + OPS_PATH, "consent");
        return consent;
    }

    @PutMapping(OPS_PATH)
    CustomerViews.ConsentView opsPut(@AuthenticationPrincipal Jwt jwt, @PathVariable String customerId,
                                     @RequestBody ConsentController.ConsentBody body) {
        boolean given = ConsentController.given(body);
        return CustomerViews.ConsentView.of(consents.set(known(customerId), given, Actor.of(jwt), "PUT " + OPS_PATH));
    }

    @PutMapping(PARTNER_PATH)
    CustomerViews.ConsentView partnerPut(@AuthenticationPrincipal Jwt jwt, @PathVariable String partnerId,
                                         @PathVariable String customerId, @RequestBody ConsentController.ConsentBody body) {
        String partner = RedemptionInput.partnerId(partnerId);
        boolean given = ConsentController.given(body);
        long id = known(customerId);
        Boolean own = jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM core.customer_link l JOIN ops.partner_connection pc ON pc.id = l.connection_id
                                WHERE pc.partner_id = ? AND l.customer_id IN (SELECT c.id FROM core.customer c
                                                                               WHERE c.id = ? OR c.merged_into = ?))""",
                Boolean.class, partner, id, id);
        if (!Boolean.TRUE.equals(own)) {
            throw CustomerController.unknownCustomer();
        }
        return CustomerViews.ConsentView.of(consents.set(id, given, Actor.of(jwt), "PUT " + PARTNER_PATH));
    }

    /** A customer of the circle (not merged into another) by its id in the path. */
    private long known(String customerId) {
        long id;
        try {
            id = Long.parseLong(customerId);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("customerId is a positive whole number");
        }
        if (id <= 0) {
            throw new IllegalArgumentException("customerId is a positive whole number");
        }
        customers.ids(id).orElseThrow(CustomerController::unknownCustomer);
        return id;
    }
}
