package ru.svoykrug.hub.sync;

import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.connect.SyncScenario;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;

import java.time.Duration;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** A vendor that hangs cannot keep a run, its lock, its thread or its database connection. */
class SyncRunTimeoutTest extends SyncScenario {

    @Test
    void aRunWhoseStreamsDoNotFinishInTimeIsStoppedFailedAndLetsGo() {
        YclientsSimulator sim = started(YclientsSimulator.start(new YclientsDataSet(31, 200, 0, ZoneId.of("Europe/Moscow")), 4100));
        ConnectionDefinition plain = TestConnections.yclients("yc-hangs", sim, 50);
        connect(connection("yc-hangs", sim).settings("pageSize", "50", "runTimeoutSeconds", "1"));
        sim.stall(Duration.ofSeconds(3)); // every answer comes after the run's time is up

        SyncRun stopped = sync("yc-hangs");

        assertThat(stopped.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(stopped.errorClass()).isEqualTo("RunTimedOut");
        assertThat(stopped.errorMessage()).contains("stopped").contains("had not finished").contains("records");
        assertThat(stopped.finishedAt()).isNotNull();
        assertThat(jdbc.queryForObject("SELECT pg_try_advisory_lock(k) AND pg_advisory_unlock(k) "
                + "FROM (SELECT hashtext('hub-sync:' || 'yc-hangs') AS k) x", Boolean.class))
                .as("the connection's lock is let go").isTrue();

        // the vendor answers again: the next run takes the lock and reads everything, nothing from the stopped run interferes
        sim.stall(Duration.ZERO);
        connections.update(plain);
        SyncRun next = sync("yc-hangs");
        assertThat(next.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("yc-hangs")).isEqualTo(Staged.of(sim.data().truth()));
    }
}
