package ru.svoykrug.hub.ops;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.util.UriUtils;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import ru.svoykrug.hub.connections.UnknownConnectionException;
import ru.svoykrug.hub.infra.web.ProblemJson;
import ru.svoykrug.hub.monitoring.ErrorReports;
import org.springframework.web.servlet.HandlerMapping;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.privacy.Masking;
import ru.svoykrug.hub.sync.ConnectionNotActiveException;
import ru.svoykrug.hub.sync.SyncAlreadyRunningException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;

/**
 * Every API error as {@code application/problem+json}: 4xx that say what was wrong with the request,
 * logged in one line without a stack trace, and for anything unexpected a 500 that says so without a
 * stack trace (which goes to the log). Errors raised before a controller are answered by
 * {@code infra.web} and {@code security}.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    private final ErrorReports errors;

    ApiProblems(ErrorReports errors) {
        this.errors = errors;
    }

    @ExceptionHandler(UnknownConnectionException.class)
    ProblemDetail notFound(UnknownConnectionException e, HttpServletRequest request) {
        return problem(request, HttpStatus.NOT_FOUND, "Unknown connection", e.getMessage());
    }

    @ExceptionHandler({ConnectionNotActiveException.class, SyncAlreadyRunningException.class})
    ProblemDetail conflict(RuntimeException e, HttpServletRequest request) {
        return problem(request, HttpStatus.CONFLICT, "Connection cannot sync now", e.getMessage());
    }

    @ExceptionHandler(NoSuchElementException.class)
    ProblemDetail missing(NoSuchElementException e, HttpServletRequest request) {
        return problem(request, HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(NightlyRuns.NightAlreadyRunningException.class)
    ProblemDetail nightRunning(RuntimeException e, HttpServletRequest request) {
        return problem(request, HttpStatus.CONFLICT, "Night already running", e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e, HttpServletRequest request) {
        return problem(request, HttpStatus.BAD_REQUEST, "Bad request", e.getMessage());
    }

    /** Tomcat could not decode the query or form (a broken {@code %} escape): its message quotes the value, ours does not. */
    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail undecodableParameter(InvalidParameterException e, HttpServletRequest request) {
        return problem(request, HttpStatus.BAD_REQUEST, "Bad request", "A parameter of the query or form cannot be decoded");
    }

    /** A body that says it is multipart and is not. */
    @ExceptionHandler(MultipartException.class)
    ProblemDetail unreadableMultipart(MultipartException e, HttpServletRequest request) {
        return problem(request, HttpStatus.BAD_REQUEST, "Bad request", "The request's body cannot be read");
    }

    /** A constraint of a parameter, where Spring MVC's own method validation did not check it first. */
    @ExceptionHandler(ConstraintViolationException.class)
    ProblemDetail invalid(ConstraintViolationException e, HttpServletRequest request) {
        return problem(request, HttpStatus.BAD_REQUEST, "Bad request", "A parameter is out of its range or shape");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected error in an API call {} {}", request.getMethod(), ProblemJson.printable(request.getRequestURI()), e);
        // the path's template (/api/v1/ops/connections/{id}), never its values or query
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        errors.apiError(e, request.getMethod() + " " + (pattern == null ? "(unmatched)" : pattern));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The hub could not answer this request; the error is in its log");
        problem.setTitle("Internal error");
        return problem;
    }

    /** Spring MVC's own 4xx (405, 406, 415, unreadable bodies, bad types, failed validation): logged in one line. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        if (request instanceof NativeWebRequest nativeRequest
                && nativeRequest.getNativeRequest() instanceof HttpServletRequest http) {
            ProblemJson.logClientError(statusCode.value(), http.getMethod(), http.getRequestURI(), ex.getClass().getSimpleName());
        }
        // Spring's own details may quote the value that failed (a path variable that was a phone), and the
        // instance Spring would add is the path as it came
        if (body instanceof ProblemDetail problem) {
            if (problem.getDetail() != null) {
                problem.setDetail(Masking.phones(problem.getDetail()));
            }
            if (request instanceof NativeWebRequest nativeRequest
                    && nativeRequest.getNativeRequest() instanceof HttpServletRequest http) {
                problem.setInstance(maskedInstance(http));
            }
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }

    /** The request's path as a problem's instance, a phone in it masked. */
    static URI maskedInstance(HttpServletRequest request) {
        String path = request.getRequestURI();
        try {
            path = UriUtils.decode(path, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // (a broken escape: masked as it came)
        }
        return URI.create(UriUtils.encodePath(Masking.phones(path), StandardCharsets.UTF_8));
    }

    private static ProblemDetail problem(HttpServletRequest request, HttpStatus status, String title, String detail) {
        ProblemJson.logClientError(status.value(), request.getMethod(), request.getRequestURI(), title);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, Masking.phones(detail));
        problem.setInstance(maskedInstance(request));
        problem.setTitle(title);
        return problem;
    }
}
