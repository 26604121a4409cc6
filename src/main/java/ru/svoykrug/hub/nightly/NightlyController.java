package ru.svoykrug.hub.nightly;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Ops start a night by hand and watch the nights: steps, counts, and the models each night fitted. A
 * date outside the programme's start .. yesterday is a 400 naming the range; a start while a night runs
 * (on any hub node) a 409 naming it. Role {@code OPS} (the path is under {@code /api/v1/ops/}, see
 * {@code security}); limits and ids are checked before the database sees them.
 */
@RestController
@RequestMapping("/api/v1/ops/jobs/nightly/runs")
class NightlyController {

    private final NightlyRuns runs;
    private final NightlyExecutions executions;

    NightlyController(NightlyRuns runs, NightlyExecutions executions) {
        this.runs = runs;
        this.executions = executions;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    NightlyExecutions.Night start(@RequestBody(required = false) StartRequest request) {
        if (request == null || request.businessDate() == null) {
            throw new IllegalArgumentException("businessDate is required, as in {\"businessDate\": \"2026-11-25\"}");
        }
        long id = runs.start(request.businessDate());
        return executions.find(id).orElseThrow();
    }

    @GetMapping
    List<NightlyExecutions.Night> list(@RequestParam(defaultValue = "20") @Min(1) @Max(200) int limit) {
        return executions.list(limit);
    }

    @GetMapping("/{id}")
    NightDetail one(@PathVariable @Positive long id) {
        NightlyExecutions.Night night = executions.find(id)
                .orElseThrow(() -> new NoSuchElementException("No nightly run " + id));
        return new NightDetail(night, night.businessDate() == null ? List.of() : executions.models(night.businessDate()));
    }

    /** 400 naming the dates a night may be run for. */
    @ExceptionHandler(NightCalendar.NightOutOfRangeException.class)
    ProblemDetail outOfRange(NightCalendar.NightOutOfRangeException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Business date out of range");
        problem.setProperty("allowedFrom", e.allowedFrom() == null ? null : e.allowedFrom().toString());
        problem.setProperty("allowedTo", e.allowedTo().toString());
        return problem;
    }

    /** 409 naming the night that runs. */
    @ExceptionHandler(NightlyRuns.NightAlreadyRunningException.class)
    ProblemDetail running(NightlyRuns.NightAlreadyRunningException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Night already running");
        problem.setProperty("runningExecutionId", e.runningExecutionId());
        return problem;
    }

    record StartRequest(LocalDate businessDate) {
    }

    record NightDetail(NightlyExecutions.Night night, List<NightlyExecutions.FittedModel> models) {
    }
}
