package ru.svoykrug.hub.partners;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import ru.svoykrug.hub.infra.web.ProblemJson;

/** The partner API's own errors as problem+json; the rest are the hub's common ones ({@code ops/ApiProblems}). */
@RestControllerAdvice(basePackageClasses = PartnerApi.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PartnerProblems {

    @ExceptionHandler(PartnerConnections.ConnectionDeletedException.class)
    ProblemDetail deleted(RuntimeException e, HttpServletRequest request) {
        ProblemJson.logClientError(409, request.getMethod(), request.getRequestURI(), "Connection deleted");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Connection deleted");
        return problem;
    }
}
