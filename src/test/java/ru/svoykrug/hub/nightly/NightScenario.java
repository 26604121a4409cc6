package ru.svoykrug.hub.nightly;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connections.ConnectionService;

import java.time.Duration;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base of a night's scenario: what partners' systems said, written straight into staging by
 * {@link #partner}, then nights run by {@link #night} and core read. It gives the test the hub's
 * {@code connections}, {@code jdbc} and {@code runs}.
 */
public abstract class NightScenario extends HubIntegrationTest {

    @Autowired
    protected ConnectionService connections;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected NightlyRuns runs;

    /** A partner of system 'file' (no route, no schedule) whose staging the test writes. */
    protected StagingFixture partner(String connectionId) {
        return StagingFixture.partner(connections, jdbc, connectionId);
    }

    /** Runs the night of {@code date} to its end, which must be COMPLETED. */
    protected JobExecution night(LocalDate date) {
        JobExecution night = runs.runAndWait(date, Duration.ofMinutes(5));
        assertThat(night.getStatus()).as("night of %s: %s", date, night.getExitStatus()).isEqualTo(BatchStatus.COMPLETED);
        return night;
    }
}
