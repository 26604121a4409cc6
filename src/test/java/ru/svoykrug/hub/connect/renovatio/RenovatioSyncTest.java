package ru.svoykrug.hub.connect.renovatio;

import ru.svoykrug.hub.privacy.StoredPersonalData;
import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.connect.SyncScenario;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.simulate.renovatio.RenovatioDataSet;
import ru.svoykrug.hub.simulate.renovatio.RenovatioSimulator;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Renovatio connector against the simulator: real HTTP, real PostgreSQL, the real route template. */
class RenovatioSyncTest extends SyncScenario {

    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    private RenovatioSimulator simulator(long seed, int appointments) {
        return started(RenovatioSimulator.start(new RenovatioDataSet(seed, appointments, 0, MOSCOW, Instant.now())));
    }

    @Test
    void fullThenIncrementalSyncEndWithExactlyWhatTheClinicHas() {
        RenovatioSimulator sim = simulator(21, 1200);
        RenovatioDataSet data = sim.data();
        connect(RenovatioConnections.medical("rn-incr", sim));

        SyncRun full = sync("rn-incr");

        assertThat(full.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("rn-incr")).isEqualTo(Staged.of(data.truth()));
        assertThat(data.truth().completedSalesKopecks()).isPositive();
        // a phone typed "8916..." or "+7 (916) ..." arrives as E.164; patients have no names in a medical connection
        assertThat(StoredPersonalData.phones(jdbc, "SELECT phone_sealed FROM staging.customer WHERE connection_id = 'rn-incr' AND phone_key IS NOT NULL")).isNotEmpty().allMatch(p -> p.matches("\\+79\\d{9}"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.customer WHERE connection_id = 'rn-incr' AND name_sealed IS NOT NULL",
                Integer.class)).isZero();

        LocalDateTime now = LocalDateTime.now(MOSCOW).truncatedTo(ChronoUnit.MINUTES);
        int completedLater = data.appointments(a -> a.status().equals("upcoming"), 1).get(0);
        int refusedLater = data.appointments(a -> a.status().equals("completed"), 1).get(0);
        data.setStatus(completedLater, "completed", now);
        data.setStatus(refusedLater, "refused", now);
        int added = data.addCompleted(3, 250_050, now);
        sim.resetCounters();

        SyncRun second = sync("rn-incr");

        assertThat(second.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("rn-incr")).isEqualTo(Staged.of(data.truth()));
        assertThat(status("rn-incr", completedLater)).isEqualTo("COMPLETED");
        assertThat(status("rn-incr", refusedLater)).isEqualTo("VOID");
        assertThat(jdbc.queryForMap("SELECT status, amount_kopecks, customer_source_id FROM staging.sale "
                + "WHERE connection_id = 'rn-incr' AND source_id = ?", Integer.toString(added)))
                .containsEntry("status", "COMPLETED").containsEntry("amount_kopecks", 250_050L).containsEntry("customer_source_id", "3");
        // the overlap of appointments and the rolling week of payments only, not the year
        assertThat(sim.itemsServed()).isLessThan(60);

        SyncRun third = sync("rn-incr");
        assertThat(third.recordsWritten()).as("re-reading the overlap changes nothing").isZero();
    }

    @Test
    void errorInsideA200IsAnErrorAndChangesNothing() {
        RenovatioSimulator sim = simulator(22, 400);
        connect(RenovatioConnections.medical("rn-err200", sim));
        assertThat(sync("rn-err200").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        Staged before = staged("rn-err200");
        List<Map<String, Object>> cursorsBefore = cursors("rn-err200");

        sim.errorsIn200(3); // the first call of each of the three streams
        SyncRun failed = sync("rn-err200");

        assertThat(failed.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(failed.errorMessage()).contains("error 500 in a 200").doesNotContain("МЕТКА");
        assertThat(repository.find("rn-err200").orElseThrow().status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(staged("rn-err200")).isEqualTo(before);
        assertThat(cursors("rn-err200")).isEqualTo(cursorsBefore);
    }

    @Test
    void methodTheKeyHasNoRightToIsACredentialsProblemNamingTheMethod() {
        RenovatioSimulator sim = simulator(23, 300);
        connect(RenovatioConnections.medical("rn-403", sim));
        sim.denyMethod("getPayments");

        SyncRun run = sync("rn-403");

        assertThat(run.status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);
        assertThat(run.errorMessage()).contains("getPayments").contains("403");
        assertThat(repository.find("rn-403").orElseThrow().status()).isEqualTo(ConnectionStatus.CREDENTIALS_REJECTED);
    }

    @Test
    void runThatDiesMidwayResumesAtTheNextWindow() {
        RenovatioSimulator sim = simulator(25, 900);
        connect(RenovatioConnections.medical("rn-crash", sim));
        faults.crashAfterPages("rn-crash", "appointments", 3); // dies after its third 30-day window

        SyncRun crashed = sync("rn-crash");
        assertThat(crashed.status()).isEqualTo(SyncRunStatus.FAILED);
        Map<String, Object> cursor = jdbc.queryForMap("SELECT position->>'inProgress' AS in_progress, position->>'from' AS from_ "
                + "FROM ops.sync_cursor WHERE connection_id = 'rn-crash' AND stream = 'appointments'");
        assertThat(cursor).containsEntry("in_progress", "true");
        Instant from = Instant.parse((String) cursor.get("from_"));

        sim.resetCounters();
        SyncRun resumed = sync("rn-crash");

        assertThat(resumed.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("rn-crash")).isEqualTo(Staged.of(sim.data().truth()));
        // the appointments read again start at the window after the last committed one
        assertThat(from).isEqualTo(LocalDate.now().minusDays(400).atStartOfDay(MOSCOW).toInstant().plus(Duration.ofDays(90)));
    }

    @Test
    void gatewayErrorsAreRetried() {
        RenovatioSimulator sim = simulator(24, 300);
        connect(RenovatioConnections.medical("rn-5xx", sim));
        sim.fail5xx(3);

        SyncRun run = sync("rn-5xx");

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("rn-5xx")).isEqualTo(Staged.of(sim.data().truth()));
    }

    private String status(String connectionId, int appointmentId) {
        return saleStatus(connectionId, Integer.toString(appointmentId));
    }
}
