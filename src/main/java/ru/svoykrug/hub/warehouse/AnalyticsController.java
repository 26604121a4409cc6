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
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.security.MedicalGrant;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Ops analytics, served from the warehouse (role OPS, as all of /api/v1/ops/**), and a partner's own share of
 * them under /api/v1/partners/{partnerId}/analytics (its token, or OPS): segments and movements in the scope of
 * one of its connections, its sales and points per day; the circle's figures (every partner's customers) are
 * not a partner's to read. Without a warehouse configured, {@code /status} says so and the rest answer 503.
 * Nights default to the last exported one, ranges to the 90 days before it. Medical partners' figures (a medical connection's
 * RFM scope, its sales and points per day) only with the medical grant ({@link MedicalGrant}): without it a
 * medical scope is a 403 and per-partner days leave medical connections out; circle figures include them.
 */
@RestController
@Tag(name = "ops analytics", description = "History of segments, churn risk, sales and points, from the ClickHouse warehouse")
class AnalyticsController {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsController.class);
    private static final int DEFAULT_DAYS = 90;
    private static final LocalDate FIRST_DAY = LocalDate.of(1970, 1, 1);
    private static final LocalDate LAST_DAY = LocalDate.of(2105, 12, 31);

    private static final String OPS = "/api/v1/ops/analytics";
    private static final String PARTNER = "/api/v1/partners/{partnerId}/analytics";

    private final AnalyticsQueries queries;
    private final MedicalConnections medical;
    private final ConnectionRepository connections;
    private final Clock clock;

    AnalyticsController(AnalyticsQueries queries, MedicalConnections medical, ConnectionRepository connections, Clock clock) {
        this.queries = queries;
        this.medical = medical;
        this.connections = connections;
        this.clock = clock;
    }

    @GetMapping(OPS + "/status")
    @Operation(summary = "Whether the hub has a warehouse, and the nights exported to it (newest first, at most 30)")
    Status status() {
        return queries.configured() ? new Status(true, queries.nights(30)) : new Status(false, List.of());
    }

    @GetMapping(OPS + "/segments")
    @Operation(summary = "Customers per RFM segment of each night in [from, to], in a scope ('circle' or a connection id)")
    List<AnalyticsQueries.SegmentSize> segments(Authentication auth, @RequestParam(defaultValue = "circle") String scope,
                                                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                                                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        Range range = range(from, to);
        mayReadScope(auth, scope);
        return queries.segmentSizes(scope, range.from(), range.to());
    }

    @GetMapping(OPS + "/segment-movements")
    @Operation(summary = "Customers by segment on the night before (the previous night exported) and on the night")
    AnalyticsQueries.Movements movements(Authentication auth, @RequestParam(defaultValue = "circle") String scope,
                                         @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate night) {
        inWarehouseDates("night", night);
        mayReadScope(auth, scope);
        LocalDate on = night != null ? night : lastNight();
        return queries.movements(scope, on)
                .orElseThrow(() -> new NoSuchElementException("No night exported before " + on + " to compare it with"));
    }

    @GetMapping(OPS + "/churn-risk")
    @Operation(summary = "Customers per tenth of churn risk (decile 0: [0, 0.1) ... decile 9: [0.9, 1]) of each night in [from, to]")
    List<AnalyticsQueries.RiskDecile> churnRisk(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                                                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        Range range = range(from, to);
        return queries.churnRisk(range.from(), range.to());
    }

    @GetMapping(OPS + "/partner-days")
    @Operation(summary = "Sales (count, kopecks, refunds, voids, net) and points (earned, activated, expired, reversed, redeemed) "
            + "per partner and day in [from, to]; one partner's with partner=<partner id>")
    List<AnalyticsQueries.PartnerDay> partnerDays(Authentication auth,
                                                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                                                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                                                  @RequestParam(required = false) String partner) {
        Range range = range(from, to);
        return queries.partnerDays(range.from(), range.to(), partner, MedicalGrant.held(auth) ? Set.of() : medical.ids());
    }

    @GetMapping(OPS + "/cohorts")
    @Operation(summary = "Cohorts by month of first purchase: their size and, per month since, how many bought and what share")
    List<AnalyticsQueries.Cohort> cohorts() {
        return queries.cohorts();
    }

    @GetMapping(PARTNER + "/segments")
    @Operation(summary = "A partner's: customers per RFM segment of each night in [from, to], in the scope of one of its connections")
    List<AnalyticsQueries.SegmentSize> partnerSegments(Authentication auth, @PathVariable String partnerId, @RequestParam String scope,
                                                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                                                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        partnersOwn(partnerId, scope);
        return segments(auth, scope, from, to);
    }

    @GetMapping(PARTNER + "/segment-movements")
    @Operation(summary = "A partner's: customers by segment on the night before and on the night, in the scope of one of its connections")
    AnalyticsQueries.Movements partnerMovements(Authentication auth, @PathVariable String partnerId, @RequestParam String scope,
                                                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate night) {
        partnersOwn(partnerId, scope);
        return movements(auth, scope, night);
    }

    @GetMapping(PARTNER + "/partner-days")
    @Operation(summary = "A partner's: its sales and points per day in [from, to]")
    List<AnalyticsQueries.PartnerDay> partnerOwnDays(Authentication auth, @PathVariable String partnerId,
                                                     @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                                                     @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        return partnerDays(auth, from, to, partnerId);
    }

    /** A scope the partner may read: one of its own connections (another's is as unknown to it as one that is not). */
    private void partnersOwn(String partnerId, String scope) {
        AnalyticsQueries.slug(scope);
        if (!connections.partnerIdOf(scope).map(partnerId::equals).orElse(false)) {
            throw new NoSuchElementException("The partner has no connection by that id");
        }
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
