package ru.svoykrug.hub.warehouse;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.web.ErrorResponseException;
import ru.svoykrug.hub.security.MedicalGrant;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Ops analytics, served from the warehouse (role OPS, as all of /api/v1/ops/**). Without a warehouse
 * configured, {@code /status} says so and the rest answer 503. Nights default to the last exported one,
 * ranges to the 90 days before it. The {@code partner} and {@code scope} filters are where a partner's
 * own view will be enforced once partner roles exist. Medical partners' figures (a medical connection's
 * RFM scope, its sales and points per day) only with the medical grant ({@link MedicalGrant}): without it a
 * medical scope is a 403 and per-partner days leave medical connections out; circle figures include them.
 */
@RestController
@RequestMapping("/api/v1/ops/analytics")
@Tag(name = "ops analytics", description = "History of segments, churn risk, sales and points, from the ClickHouse warehouse")
class AnalyticsController {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsController.class);
    private static final int DEFAULT_DAYS = 90;
    private static final LocalDate FIRST_DAY = LocalDate.of(1970, 1, 1);
    private static final LocalDate LAST_DAY = LocalDate.of(2105, 12, 31);

    private final AnalyticsQueries queries;
    private final MedicalConnections medical;
    private final Clock clock;

    AnalyticsController(AnalyticsQueries queries, MedicalConnections medical, Clock clock) {
        this.queries = queries;
        this.medical = medical;
        this.clock = clock;
    }

    @GetMapping("/status")
    @Operation(summary = "Whether the hub has a warehouse, and the nights exported to it (newest first, at most 30)")
    Status status() {
        return queries.configured() ? new Status(true, queries.nights(30)) : new Status(false, List.of());
    }

    @GetMapping("/segments")
    @Operation(summary = "Customers per RFM segment of each night in [from, to], in a scope ('circle' or a connection id)")
    List<AnalyticsQueries.SegmentSize> segments(Authentication auth, @RequestParam(defaultValue = "circle") String scope,
                                                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                                                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        Range range = range(from, to);
        mayReadScope(auth, scope);
        return queries.segmentSizes(scope, range.from(), range.to());
    }

    @GetMapping("/segment-movements")
    @Operation(summary = "Customers by segment on the night before (the previous night exported) and on the night")
    AnalyticsQueries.Movements movements(Authentication auth, @RequestParam(defaultValue = "circle") String scope,
                                         @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate night) {
        inWarehouseDates("night", night);
        mayReadScope(auth, scope);
        LocalDate on = night != null ? night : lastNight();
        return queries.movements(scope, on)
                .orElseThrow(() -> new NoSuchElementException("No night exported before " + on + " to compare it with"));
    }

    @GetMapping("/churn-risk")
    @Operation(summary = "Customers per tenth of churn risk (decile 0: [0, 0.1) ... decile 9: [0.9, 1]) of each night in [from, to]")
    List<AnalyticsQueries.RiskDecile> churnRisk(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                                                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        Range range = range(from, to);
        return queries.churnRisk(range.from(), range.to());
    }

    @GetMapping("/partner-days")
    @Operation(summary = "Sales (count, kopecks, refunds, voids, net) and points (earned, activated, expired, reversed, redeemed) "
            + "per partner and day in [from, to]; one partner's with partner=<partner id>")
    List<AnalyticsQueries.PartnerDay> partnerDays(Authentication auth,
                                                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                                                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                                                  @RequestParam(required = false) String partner) {
        Range range = range(from, to);
        return queries.partnerDays(range.from(), range.to(), partner, MedicalGrant.held(auth) ? Set.of() : medical.ids());
    }

    @GetMapping("/cohorts")
    @Operation(summary = "Cohorts by month of first purchase: their size and, per month since, how many bought and what share")
    List<AnalyticsQueries.Cohort> cohorts() {
        return queries.cohorts();
    }

    /** A medical connection's scope is for the medical grant only. */
    private void mayReadScope(Authentication auth, String scope) {
        if (!MedicalGrant.held(auth) && medical.ids().contains(scope)) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                    "This scope is a medical partner's: its figures need the medical grant");
            problem.setTitle("Medical scope");
            throw new ErrorResponseException(HttpStatus.FORBIDDEN, problem, null);
        }
    }

    private Range range(LocalDate from, LocalDate to) {
        inWarehouseDates("from", from);
        inWarehouseDates("to", to);
        LocalDate end = to != null ? to : (from != null ? from.plusDays(DEFAULT_DAYS) : lastNight());
        LocalDate start = from != null ? from : end.minusDays(DEFAULT_DAYS);
        if (start.isAfter(end)) {
            throw new IllegalArgumentException("from must not be after to");
        }
        return new Range(start, end);
    }

    /** ClickHouse's Date holds 1970-01-01 to 2105-12-31: a day outside it is asked of nothing the hub exported. */
    private static void inWarehouseDates(String name, LocalDate day) {
        if (day != null && (day.isBefore(FIRST_DAY) || day.isAfter(LAST_DAY))) {
            throw new IllegalArgumentException(name + " must lie between " + FIRST_DAY + " and " + LAST_DAY);
        }
    }

    private LocalDate lastNight() {
        List<LocalDate> nights = queries.nights(1);
        return nights.isEmpty() ? LocalDate.now(clock) : nights.get(0);
    }

    @ExceptionHandler(WarehouseNotConfiguredException.class)
    ProblemDetail noWarehouse(WarehouseNotConfiguredException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setTitle("No warehouse");
        return problem;
    }

    @ExceptionHandler(Warehouse.WarehouseException.class)
    ProblemDetail warehouseDown(Warehouse.WarehouseException e) {
        log.warn("An analytics query failed: {}", e.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The warehouse did not answer; the error is in the hub's log");
        problem.setTitle("Warehouse unavailable");
        return problem;
    }

    record Status(boolean configured, List<LocalDate> nightsExported) {
    }

    private record Range(LocalDate from, LocalDate to) {
    }
}
