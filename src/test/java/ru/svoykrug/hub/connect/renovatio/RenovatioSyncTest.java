package ru.svoykrug.hub.connect.renovatio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.connect.SyncFaults;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.simulate.renovatio.RenovatioDataSet;
import ru.svoykrug.hub.simulate.renovatio.RenovatioSimulator;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;
import ru.svoykrug.hub.sync.SyncRunner;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Renovatio connector against the simulator: real HTTP, real PostgreSQL, the real route template. */
class RenovatioSyncTest extends HubIntegrationTest {

    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    @Autowired
    ConnectionService connections;
    @Autowired
    ConnectionRepository repository;
    @Autowired
    SyncRunner runner;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SyncFaults faults;

    private final List<RenovatioSimulator> simulators = new ArrayList<>();

    @AfterEach
    void stopSimulators() {
        faults.clear();
        simulators.forEach(RenovatioSimulator::close);
    }

    private RenovatioSimulator simulator(long seed, int appointments) {
        RenovatioSimulator sim = RenovatioSimulator.start(new RenovatioDataSet(seed, appointments, 0, MOSCOW, Instant.now()));
        simulators.add(sim);
        return sim;
    }

    @Test
    void fullThenIncrementalSyncEndWithExactlyWhatTheClinicHas() {
        RenovatioSimulator sim = simulator(21, 1200);
        RenovatioDataSet data = sim.data();
        connections.ensure(RenovatioConnections.medical("rn-incr", sim));

        SyncRun full = runner.run("rn-incr", "test");

        assertThat(full.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "rn-incr")).isEqualTo(RenovatioConnections.staged(data.truth()));
        assertThat(data.truth().completedSalesKopecks()).isPositive();
        // a phone typed "8916..." or "+7 (916) ..." arrives as E.164; patients have no names in a medical connection
        assertThat(jdbc.queryForList("SELECT phone_e164 FROM staging.customer WHERE connection_id = 'rn-incr' AND phone_e164 IS NOT NULL",
                String.class)).isNotEmpty().allMatch(p -> p.matches("\\+79\\d{9}"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.customer WHERE connection_id = 'rn-incr' AND name IS NOT NULL",
                Integer.class)).isZero();

        LocalDateTime now = LocalDateTime.now(MOSCOW).truncatedTo(ChronoUnit.MINUTES);
        int completedLater = data.appointments(a -> a.status().equals("upcoming"), 1).get(0);
        int refusedLater = data.appointments(a -> a.status().equals("completed"), 1).get(0);
        data.setStatus(completedLater, "completed", now);
        data.setStatus(refusedLater, "refused", now);
        int added = data.addCompleted(3, 250_050, now);
        sim.resetCounters();

        SyncRun second = runner.run("rn-incr", "test");

        assertThat(second.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "rn-incr")).isEqualTo(RenovatioConnections.staged(data.truth()));
        assertThat(status("rn-incr", completedLater)).isEqualTo("COMPLETED");
        assertThat(status("rn-incr", refusedLater)).isEqualTo("VOID");
        assertThat(jdbc.queryForMap("SELECT status, amount_kopecks, customer_source_id FROM staging.sale "
                + "WHERE connection_id = 'rn-incr' AND source_id = ?", Integer.toString(added)))
                .containsEntry("status", "COMPLETED").containsEntry("amount_kopecks", 250_050L).containsEntry("customer_source_id", "3");
        // the overlap of appointments and the rolling week of payments only, not the year
        assertThat(sim.itemsServed()).isLessThan(60);

        SyncRun third = runner.run("rn-incr", "test");
        assertThat(third.recordsWritten()).as("re-reading the overlap changes nothing").isZero();
    }

    @Test
    void errorInsideA200IsAnErrorAndChangesNothing() {
        RenovatioSimulator sim = simulator(22, 400);
        connections.ensure(RenovatioConnections.medical("rn-err200", sim));
        assertThat(runner.run("rn-err200", "test").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        Staged before = Staged.of(jdbc, "rn-err200");
        List<Map<String, Object>> cursorsBefore = cursors("rn-err200");

        sim.errorsIn200(3); // the first call of each of the three streams
        SyncRun failed = runner.run("rn-err200", "test");

        assertThat(failed.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(failed.errorMessage()).contains("error 500 in a 200").doesNotContain("МЕТКА");
        assertThat(repository.find("rn-err200").orElseThrow().status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(Staged.of(jdbc, "rn-err200")).isEqualTo(before);
        assertThat(cursors("rn-err200")).isEqualTo(cursorsBefore);
    }

    @Test
    void methodTheKeyHasNoRightToIsACredentialsProblemNamingTheMethod() {
        RenovatioSimulator sim = simulator(23, 300);
        connections.ensure(RenovatioConnections.medical("rn-403", sim));
        sim.denyMethod("getPayments");

        SyncRun run = runner.run("rn-403", "test");

        assertThat(run.status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);
        assertThat(run.errorMessage()).contains("getPayments").contains("403");
        assertThat(repository.find("rn-403").orElseThrow().status()).isEqualTo(ConnectionStatus.CREDENTIALS_REJECTED);
    }

    @Test
    void runThatDiesMidwayResumesAtTheNextWindow() {
        RenovatioSimulator sim = simulator(25, 900);
        connections.ensure(RenovatioConnections.medical("rn-crash", sim));
        faults.crashAfterPages("rn-crash", "appointments", 3); // dies after its third 30-day window

        SyncRun crashed = runner.run("rn-crash", "test");
        assertThat(crashed.status()).isEqualTo(SyncRunStatus.FAILED);
        Map<String, Object> cursor = jdbc.queryForMap("SELECT position->>'inProgress' AS in_progress, position->>'from' AS from_ "
                + "FROM ops.sync_cursor WHERE connection_id = 'rn-crash' AND stream = 'appointments'");
        assertThat(cursor).containsEntry("in_progress", "true");
        Instant from = Instant.parse((String) cursor.get("from_"));

        sim.resetCounters();
        SyncRun resumed = runner.run("rn-crash", "test");

        assertThat(resumed.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "rn-crash")).isEqualTo(RenovatioConnections.staged(sim.data().truth()));
        // the appointments read again start at the window after the last committed one
        assertThat(from).isEqualTo(LocalDate.now().minusDays(400).atStartOfDay(MOSCOW).toInstant().plus(Duration.ofDays(90)));
    }

    @Test
    void gatewayErrorsAreRetried() {
        RenovatioSimulator sim = simulator(24, 300);
        connections.ensure(RenovatioConnections.medical("rn-5xx", sim));
        sim.fail5xx(3);

        SyncRun run = runner.run("rn-5xx", "test");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(Staged.of(jdbc, "rn-5xx")).isEqualTo(RenovatioConnections.staged(sim.data().truth()));
    }

    private String status(String connectionId, int appointmentId) {
        return jdbc.queryForObject("SELECT status FROM staging.sale WHERE connection_id = ? AND source_id = ?", String.class,
                connectionId, Integer.toString(appointmentId));
    }

    private List<Map<String, Object>> cursors(String connectionId) {
        return jdbc.queryForList("SELECT stream, position::text, version FROM ops.sync_cursor WHERE connection_id = ? ORDER BY stream",
                connectionId);
    }
}
