package ru.svoykrug.hub.connect;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import ru.svoykrug.hub.staging.DeadLetters;
import ru.svoykrug.hub.staging.MappingException;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One dead letter per bad record, re-reads update it; a stream mostly rejected fails the run as MAPPING_BROKEN. */
class DeadLettersTest extends SyncScenario {

    @Autowired
    DeadLetters deadLetters;
    @Autowired
    TransactionTemplate tx;

    private YclientsSimulator simulator(long seed, int records, int malformedEvery, int companyId) {
        return started(YclientsSimulator.start(
                new YclientsDataSet(seed, records, malformedEvery, ZoneId.of("Europe/Moscow")), companyId));
    }

    private int deadLetters(String connectionId) {
        return jdbc.queryForObject("SELECT count(*) FROM ops.dead_letter WHERE connection_id = ?", Integer.class, connectionId);
    }

    @Test
    void aRecordReadAgainUpdatesItsOneDeadLetterAndARunCountsRecordsNotReads() {
        YclientsSimulator sim = simulator(41, 600, 23, 4801);
        connect(TestConnections.yclients("dl-reread", sim, 50));
        int bad = sim.data().truth().rejectedCount();

        SyncRun first = sync("dl-reread");
        assertThat(first.status()).isEqualTo(SyncRunStatus.PARTIAL);
        assertThat(first.recordsRejected()).isEqualTo(bad);
        assertThat(deadLetters("dl-reread")).isEqualTo(bad);

        // every record is read again (as after a lost cursor, or an overlap that covers them all)
        jdbc.update("DELETE FROM ops.sync_cursor WHERE connection_id = 'dl-reread'");
        SyncRun second = sync("dl-reread");

        assertThat(second.recordsRejected()).as("this run's bad records, once each").isEqualTo(bad);
        assertThat(deadLetters("dl-reread")).as("one row per record, however often it is read").isEqualTo(bad);
        assertThat(jdbc.queryForList("SELECT DISTINCT read_count FROM ops.dead_letter WHERE connection_id = 'dl-reread'",
                Integer.class)).containsExactly(2);
        assertThat(jdbc.queryForList("SELECT DISTINCT sync_run_id FROM ops.dead_letter WHERE connection_id = 'dl-reread'",
                Long.class)).containsExactly(second.id());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ops.dead_letter WHERE connection_id = 'dl-reread' "
                + "AND last_seen_at > created_at", Integer.class)).isEqualTo(bad);
    }

    @Test
    void aRecordRejectedTwiceInOneRunCountsOnceAndARecordWithoutAnIdIsKeyedByItsContent() {
        connect(TestConnections.file("dl-direct", "P", "Europe/Moscow"));
        long run = jdbc.queryForObject("INSERT INTO ops.sync_run (connection_id, trigger, status) VALUES ('dl-direct', 'test', "
                + "'RUNNING') RETURNING id", Long.class);
        MappingException e = new MappingException("amount is not an amount");
        StagedPage.Rejected withId = StagedPage.Rejected.of("17", "{\"id\":17}", e);
        StagedPage.Rejected noId = StagedPage.Rejected.of(null, "{\"name\":\"Анна\",\"phone\":\"+79161234567\"}", e);
        StagedPage.Rejected nameAsId = StagedPage.Rejected.of("Анна Петрова", "{\"id\":\"Анна Петрова\"}", e);

        int firstPage = tx.execute(s -> deadLetters.keep("dl-direct", run, "records", List.of(withId, noId, nameAsId, withId)));
        int pageReadAgain = tx.execute(s -> deadLetters.keep("dl-direct", run, "records", List.of(withId, noId)));

        assertThat(firstPage).isEqualTo(3);
        assertThat(pageReadAgain).isZero();
        assertThat(deadLetters("dl-direct")).isEqualTo(3);
        assertThat(noId.sourceId()).isNull();
        assertThat(noId.recordKey()).startsWith("sha256:").doesNotContain("Анна");
        assertThat(nameAsId.sourceId()).as("what is not an id's shape is not kept as one").isNull();
        assertThat(jdbc.queryForList("SELECT d::text FROM ops.dead_letter d WHERE connection_id = 'dl-direct'", String.class))
                .noneMatch(row -> row.contains("Анна") || row.contains("+7916"));
        // the record fixed at the vendor and mapped: its dead letter goes
        Integer settled = tx.execute(st -> deadLetters.settle("dl-direct", "records", java.util.Set.of("17", "99")));
        assertThat(settled).isEqualTo(1);
        assertThat(deadLetters("dl-direct")).isEqualTo(2);
    }

    @Test
    void aStreamMostlyRejectedFailsTheRunAsMappingBroken() {
        YclientsSimulator sim = simulator(42, 200, 1, 4802); // every record malformed: a format the hub no longer reads
        connect(TestConnections.yclients("dl-broken", sim, 50));

        SyncRun run = sync("dl-broken");

        assertThat(run.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(run.errorClass()).isEqualTo("MAPPING_BROKEN");
        assertThat(run.errorMessage()).contains("format has probably changed").contains("could not be mapped");
        assertThat(deadLetters("dl-broken")).as("the records are still dead-lettered").isPositive();
    }
}
