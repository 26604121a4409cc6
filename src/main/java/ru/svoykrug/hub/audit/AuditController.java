package ru.svoykrug.hub.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

/**
 * The audit for ops (role OPS, as all of /api/v1/ops/**): newest first, in pages by cursor. Read only:
 * the hub has no way to change it. Reading a customer's audit is itself audited.
 */
@RestController
@RequestMapping("/api/v1/ops/audit")
@Tag(name = "ops audit", description = "Who read or changed whose personal data, when, through what")
class AuditController {

    static final String CHANNEL = "GET /api/v1/ops/audit";
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;
    // what PostgreSQL's timestamptz holds comfortably, and a cursor's id range
    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private final AuditLog log;
    private final AuditTrail trail;

    AuditController(AuditLog log, AuditTrail trail) {
        this.log = log;
        this.trail = trail;
    }

    @GetMapping
    @Operation(summary = "Audit entries, newest first: of one customer (customerId) or all; from (inclusive) and to "
            + "(exclusive) as ISO instants or dates (UTC); limit 1..500, default 50; cursor: the nextCursor of the page before")
    Page entries(@AuthenticationPrincipal Jwt jwt,
                 @RequestParam(required = false) String customerId,
                 @RequestParam(required = false) String from,
                 @RequestParam(required = false) String to,
                 @RequestParam(required = false) String limit,
                 @RequestParam(required = false) String cursor) {
        Long customer = customerId == null ? null : customerId(customerId);
        Instant start = from == null ? EARLIEST : instant("from", from);
        Instant end = to == null ? LATEST : instant("to", to);
        if (start.isAfter(end)) {
            throw new IllegalArgumentException("from must not be after to");
        }
        int size = limit(limit);
        long before = cursor == null ? Long.MAX_VALUE : decode(cursor);
        List<AuditLog.Row> rows = log.page(customer, start, end, before, size + 1);
        if (customer != null) {
            trail.read(Actor.of(jwt), customer, CHANNEL, "audit");
        }
        if (rows.size() <= size) {
            return new Page(rows, null);
        }
        List<AuditLog.Row> items = rows.subList(0, size);
        return new Page(List.copyOf(items), encode(items.get(size - 1).id()));
    }

    record Page(List<AuditLog.Row> items, String nextCursor) {
    }

    private static long customerId(String text) {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("customerId is a positive whole number");
    }

    /** An ISO instant ("2026-11-25T10:00:00Z") or date ("2026-11-25", its start in UTC). */
    private static Instant instant(String name, String text) {
        Instant at;
        try {
            at = text.length() <= 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(name + " is an ISO instant (2026-11-25T10:00:00Z) or date (2026-11-25)");
        }
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new IllegalArgumentException(name + " must lie between " + EARLIEST + " and " + LATEST);
        }
        return at;
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("limit is a whole number from 1 to " + MAX_LIMIT);
    }

    static String encode(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("audit:" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static long decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("audit:")) {
                long id = Long.parseLong(text.substring(6));
                if (id > 0) {
                    return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // below (NumberFormatException is one)
        }
        throw new IllegalArgumentException("cursor is not one this API gave");
    }
}
