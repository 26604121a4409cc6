package ru.svoykrug.hub.retention;

import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.nightly.StagingFixture;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retention removes sync runs, dead letters and audit entries past their periods (defaults: 365, 90 and
 * 1095 days) and keeps the younger ones and each connection's newest run; the audit still refuses any
 * other DELETE. The job is on Quartz's schedule.
 */
class RetentionTest extends HubIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ConnectionService connections;
    @Autowired
    Retention retention;
    @Autowired
    Scheduler scheduler;

    @Test
    void oldRowsGoYoungRowsStay() {
        StagingFixture.partner(connections, jdbc, "retention-a");
        StagingFixture.partner(connections, jdbc, "retention-b");
        long oldRun = run("retention-a", 400);
        long youngRun = run("retention-a", 300);
        long newestButOld = run("retention-b", 500);
        long oldLetter = deadLetter("retention-a", "old", 91);
        long youngLetter = deadLetter("retention-a", "young", 89);
        long oldAudit = audit(1096);
        long youngAudit = audit(1094);
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Moscow"));
        answer(77_000_001L, today.minusDays(2));
        answer(77_000_002L, today.minusDays(1));
        answer(77_000_003L, today);

        Retention.Removed removed = retention.removeExpired();

        assertThat(removed.syncRuns()).isGreaterThanOrEqualTo(1);
        assertThat(ids("ops.sync_run", List.of(oldRun, youngRun, newestButOld)))
                .as("the young run and each connection's newest stay").containsExactlyInAnyOrder(youngRun, newestButOld);
        assertThat(ids("ops.dead_letter", List.of(oldLetter, youngLetter))).containsExactly(youngLetter);
        assertThat(ids("audit.entry", List.of(oldAudit, youngAudit))).containsExactly(youngAudit);
        assertThat(removed.keptAnswers()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForList("SELECT customer_id FROM core.customer_answer WHERE body IS NOT NULL "
                + "AND customer_id BETWEEN 77000001 AND 77000003 ORDER BY customer_id", Long.class))
                .as("a kept answer of the customer API is served on its day only: the day before's stays a day")
                .containsExactly(77_000_002L, 77_000_003L);
        assertThat(jdbc.queryForObject("SELECT changes FROM core.customer_answer WHERE customer_id = 77000001", Long.class))
                .as("the count of changes stays").isEqualTo(4);

        assertThatThrownBy(() -> jdbc.update("DELETE FROM audit.entry WHERE id = ?", youngAudit))
                .as("outside the retention's transaction").hasStackTraceContaining("append-only");
        assertThat(ids("audit.entry", List.of(youngAudit))).containsExactly(youngAudit);
    }

    @Test
    void theJobIsScheduledDaily() throws Exception {
        assertThat(scheduler.checkExists(TriggerKey.triggerKey("retention", "housekeeping"))).isTrue();
        assertThat(scheduler.getJobDetail(RetentionSchedule.KEY).getJobClass()).isEqualTo(RetentionJob.class);
    }

    private void answer(long customerId, LocalDate day) {
        jdbc.update("""
                INSERT INTO core.customer_answer (customer_id, changes, answered, outdatings, day, body)
                VALUES (?, 4, 4, 0, ?, '{"customerId": 1}')
                ON CONFLICT (customer_id) DO UPDATE SET changes = 4, answered = 4, day = EXCLUDED.day, body = EXCLUDED.body""",
                customerId, day);
    }

    private long run(String connection, int daysAgo) {
        return jdbc.queryForObject("""
                INSERT INTO ops.sync_run (connection_id, trigger, started_at, finished_at, status)
                VALUES (?, 'TEST', now() - make_interval(days => ?) - interval '1 minute', now() - make_interval(days => ?), 'SUCCEEDED')
                RETURNING id""", Long.class, connection, daysAgo, daysAgo);
    }

    private long deadLetter(String connection, String source, int daysAgo) {
        return jdbc.queryForObject("""
                INSERT INTO ops.dead_letter (connection_id, stream, source_id, record_key, reason, fields, created_at, last_seen_at)
                VALUES (?, 'sales', ?, ?, 'test', 'amount', now() - make_interval(days => ?), now() - make_interval(days => ?))
                RETURNING id""", Long.class, connection, source, source, daysAgo, daysAgo);
    }

    private long audit(int daysAgo) {
        return jdbc.queryForObject("""
                INSERT INTO audit.entry (at, actor_subject, actor_role, action, fields, channel, customer_id)
                VALUES (now() - make_interval(days => ?), 'test', 'OPS', 'READ', '{points}', 'test', 55000100)
                RETURNING id""", Long.class, daysAgo);
    }

    private List<Long> ids(String table, List<Long> among) {
        return jdbc.queryForList("SELECT id FROM " + table + " WHERE id = ANY (?)", Long.class, (Object) among.toArray(new Long[0]));
    }
}
