package ru.svoykrug.hub.retention;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Removes what is past its period. Audit entries are append-only: the database refuses their deletion
 * unless the transaction says it is the retention's ({@code SET LOCAL audit.retention = 'on'}, V21), and
 * this is the one place that says so, for rows older than the period only.
 */
@Component
@EnableConfigurationProperties(RetentionProperties.class)
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final RetentionProperties periods;
    private final Clock clock;

    Retention(JdbcTemplate jdbc, TransactionTemplate transactions, RetentionProperties periods, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.periods = periods;
        this.clock = clock;
    }

    public Removed removeExpired() {
        Instant now = clock.instant();
        int runs = jdbc.update("""
                DELETE FROM ops.sync_run r
                 WHERE r.finished_at < ? AND r.status <> 'RUNNING'
                   AND r.id <> (SELECT max(n.id) FROM ops.sync_run n WHERE n.connection_id = r.connection_id)""",
                Timestamp.from(now.minus(periods.syncRuns())));
        int letters = jdbc.update("DELETE FROM ops.dead_letter WHERE last_seen_at < ?", Timestamp.from(now.minus(periods.deadLetters())));
        Integer audit = transactions.execute(tx -> {
            jdbc.execute("SET LOCAL audit.retention = 'on'");
            return jdbc.update("DELETE FROM audit.entry WHERE at < ?", Timestamp.from(now.minus(periods.audit())));
        });
        // a kept answer of the customer API is served on its day only (V36): older ones, a customer's points and
        // partners visited (a clinic among them), are not kept beyond the day after
        int answers = jdbc.update("UPDATE core.customer_answer SET body = NULL, answered = NULL WHERE body IS NOT NULL AND day < ?",
                LocalDate.ofInstant(now, periods.zone()).minusDays(1));
        Removed removed = new Removed(runs, letters, audit == null ? 0 : audit, answers);
        log.info("Retention removed {} sync runs, {} dead letters and {} audit entries past their periods, and {} kept answers"
                + " of past days", removed.syncRuns(), removed.deadLetters(), removed.auditEntries(), removed.keptAnswers());
        return removed;
    }

    public record Removed(int syncRuns, int deadLetters, int auditEntries, int keptAnswers) {
    }
}
