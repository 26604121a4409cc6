package ru.svoykrug.hub.sync;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;

import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A vendor that hangs cannot keep a run, its lock, its thread or its database connection. */
class SyncRunTimeoutTest extends HubIntegrationTest {

    @Autowired
    ConnectionService connections;
    @Autowired
    SyncRunner runner;
    @Autowired
    JdbcTemplate jdbc;

    private YclientsSimulator sim;

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void aRunWhoseStreamsDoNotFinishInTimeIsStoppedFailedAndLetsGo() {
        sim = YclientsSimulator.start(new YclientsDataSet(31, 200, 0, ZoneId.of("Europe/Moscow")), 4100);
        ConnectionDefinition plain = TestConnections.yclients("yc-hangs", sim, 50);
        Map<String, String> settings = new HashMap<>(plain.settings());
        settings.put("runTimeoutSeconds", "1");
        connections.ensure(new ConnectionDefinition(plain.id(), plain.partner(), plain.system(), plain.zone(), false, plain.schedule(),
                settings, plain.credentials()));
        sim.stall(Duration.ofSeconds(3)); // every answer comes after the run's time is up

        SyncRun stopped = runner.run("yc-hangs", "test");

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
        SyncRun next = runner.run("yc-hangs", "test");
        assertThat(next.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "yc-hangs")).isEqualTo(Staged.of(sim.data().truth()));
    }
}
