package ru.svoykrug.hub.privacy;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import ru.svoykrug.hub.audit.Actor;

/**
 * Erasure of a customer's personal data: by the customer ({@code DELETE /api/v1/customers/me}, role
 * {@code CUSTOMER}) or by ops ({@code DELETE /api/v1/ops/customers/{id}}, role {@code OPS}); the roles are
 * the security configuration's, by path. The answer is the {@link Erasure.Report}: counts, no personal data.
 */
@RestController
class ErasureController {

    private final Erasure erasure;

    ErasureController(Erasure erasure) {
        this.erasure = erasure;
    }

    @DeleteMapping("/api/v1/customers/me")
    Erasure.Report eraseMe(@AuthenticationPrincipal Jwt jwt) {
        long id;
        try {
            id = Long.parseLong(jwt.getSubject());
        } catch (NumberFormatException e) {
            throw problem(new Erasure.UnknownCustomerException());
        }
        return erase(id, Actor.of(jwt), "DELETE /api/v1/customers/me");
    }

    @DeleteMapping("/api/v1/ops/customers/{id}")
    Erasure.Report eraseByOps(@PathVariable String id, @AuthenticationPrincipal Jwt jwt) {
        if (id == null || !id.matches("[0-9]{1,18}")) {
            throw new IllegalArgumentException("id is not a customer id (a whole number)");
        }
        long customerId = Long.parseLong(id);
        return erase(customerId, Actor.of(jwt), "DELETE /api/v1/ops/customers/{id}");
    }

    private Erasure.Report erase(long id, Actor by, String channel) {
        try {
            return erasure.erase(id, by, channel);
        } catch (Erasure.UnknownCustomerException | Erasure.NightRunningException e) {
            throw problem(e);
        }
    }

    private static ErrorResponseException problem(RuntimeException e) {
        boolean night = e instanceof Erasure.NightRunningException;
        HttpStatus status = night ? HttpStatus.CONFLICT : HttpStatus.NOT_FOUND;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle(night ? "Night running" : "Unknown customer");
        ErrorResponseException answer = new ErrorResponseException(status, problem, null);
        if (night) {
            answer.getHeaders().set(HttpHeaders.RETRY_AFTER, "600");
        }
        return answer;
    }
}
