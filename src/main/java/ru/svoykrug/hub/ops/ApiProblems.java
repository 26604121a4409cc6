package ru.svoykrug.hub.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import ru.svoykrug.hub.sync.ConnectionNotActiveException;
import ru.svoykrug.hub.sync.SyncAlreadyRunningException;
import ru.svoykrug.hub.connections.UnknownConnectionException;

/**
 * Every API error as {@code application/problem+json}: 4xx that say what was wrong with the request,
 * and for anything unexpected a 500 that says so without a stack trace.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    @ExceptionHandler(UnknownConnectionException.class)
    ProblemDetail notFound(UnknownConnectionException e) {
        return problem(HttpStatus.NOT_FOUND, "Unknown connection", e.getMessage());
    }

    @ExceptionHandler({ConnectionNotActiveException.class, SyncAlreadyRunningException.class})
    ProblemDetail conflict(RuntimeException e) {
        return problem(HttpStatus.CONFLICT, "Connection cannot sync now", e.getMessage());
    }

    @ExceptionHandler(java.util.NoSuchElementException.class)
    ProblemDetail missing(java.util.NoSuchElementException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(ru.svoykrug.hub.nightly.NightlyRuns.NightAlreadyRunningException.class)
    ProblemDetail nightRunning(RuntimeException e) {
        return problem(HttpStatus.CONFLICT, "Night already running", e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, "Bad request", e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("Unexpected error in an API call", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The hub could not answer this request; the error is in its log");
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
