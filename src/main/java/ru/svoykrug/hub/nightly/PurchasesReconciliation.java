package ru.svoykrug.hub.nightly;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Step "reconcile", right after "purchases": per connection and day of sale, what staging says was sold
 * (completed sales less refunds, in kopecks) against what core holds (purchases less refunded), for the
 * days that changed since its last night (jobs/sql/02-reconcile.sql). Logged every night; a difference
 * fails the step, naming the connection, the day and the difference, before any points are posted on it.
 */
@Component
class PurchasesReconciliation {

    private static final Logger log = LoggerFactory.getLogger(PurchasesReconciliation.class);
    private static final int NAMED = 10;

    private final NamedParameterJdbcTemplate jdbc;
    private final NightlySql script = NightlySql.load("02-reconcile.sql");

    PurchasesReconciliation(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Compares the days that changed; read = the connection-days compared. */
    StepCounts check(LocalDate date) {
        Map<String, Object> parameters = new HashMap<>(NightMarks.of(jdbc.getJdbcOperations(), "reconcile"));
        parameters.put("business_date", date);
        script.run(jdbc, parameters);

        List<ConnectionDays> perConnection = jdbc.getJdbcOperations().query("""
                SELECT connection_id, count(*) FILTER (WHERE NOT deferred), count(*) FILTER (WHERE deferred),
                       coalesce(sum(staged_kopecks) FILTER (WHERE NOT deferred), 0), coalesce(sum(core_kopecks) FILTER (WHERE NOT deferred), 0)
                  FROM night_reconciled GROUP BY connection_id ORDER BY connection_id""",
                (rs, n) -> new ConnectionDays(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
        List<Difference> differences = jdbc.getJdbcOperations().query("""
                SELECT connection_id, day, staged_kopecks, core_kopecks FROM night_reconciled
                 WHERE NOT deferred AND staged_kopecks <> core_kopecks ORDER BY connection_id, day""",
                (rs, n) -> new Difference(rs.getString(1), rs.getDate(2).toLocalDate(), rs.getLong(3), rs.getLong(4)));
        long compared = perConnection.stream().mapToLong(ConnectionDays::compared).sum();
        log.info("Night of {}: reconciliation of {} connection-days ({} left for the next night: rows staged while the night ran)",
                date, compared, perConnection.stream().mapToLong(ConnectionDays::deferred).sum());
        perConnection.forEach(c -> log.info("Night of {}: {}: {} days, staged {} kopecks, core {} kopecks, difference {}",
                date, c.connectionId(), c.compared(), c.stagedKopecks(), c.coreKopecks(), c.coreKopecks() - c.stagedKopecks()));
        if (!differences.isEmpty()) {
            Map<String, Long> byConnection = differences.stream()
                    .collect(Collectors.groupingBy(Difference::connectionId, TreeMap::new,
                            Collectors.summingLong(d -> d.coreKopecks() - d.stagedKopecks())));
            String message = "Reconciliation failed: core differs from staging on " + differences.size() + " connection-days: "
                    + byConnection.entrySet().stream().map(e -> e.getKey() + " " + signed(e.getValue()) + " kopecks")
                            .collect(Collectors.joining(", "))
                    + " (core less staging); first days: "
                    + differences.stream().limit(NAMED).map(d -> d.connectionId() + " " + d.day() + ": staged " + d.stagedKopecks()
                            + ", core " + d.coreKopecks()).collect(Collectors.joining("; "));
            log.error("Night of {}: {}", date, message);
            throw new IllegalStateException(message);
        }
        return StepCounts.read(compared);
    }

    private static String signed(long kopecks) {
        return kopecks > 0 ? "+" + kopecks : Long.toString(kopecks);
    }

    private record ConnectionDays(String connectionId, long compared, long deferred, long stagedKopecks, long coreKopecks) {
    }

    private record Difference(String connectionId, LocalDate day, long stagedKopecks, long coreKopecks) {
    }
}
