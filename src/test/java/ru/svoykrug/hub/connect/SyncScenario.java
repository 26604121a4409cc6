package ru.svoykrug.hub.connect;

import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.simulate.kit.Simulator;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The base of a sync scenario against a simulator, over real HTTP, a real PostgreSQL and the real route
 * template (one hub, {@link HubIntegrationTest}): the test says only its scenario. It gives the test the
 * hub's {@code connections}, {@code repository}, {@code runner}, {@code jdbc} and the crash on demand
 * ({@code faults}, {@link SyncFaults}), and after each test clears the crash and closes every simulator the
 * test {@link #started}.
 *
 * <p>A system's test on it, in the shape of {@code connect/bitrix24/Bitrix24SyncTest}:
 * <pre>{@code
 * class Bitrix24SyncTest extends SyncScenario {
 *
 *     private Bitrix24Simulator simulator(long seed, int deals) {
 *         return started(Bitrix24Simulator.start(new Bitrix24DataSet(seed, deals, 0, MOSCOW, Instant.now())));
 *     }
 *
 *     @Test
 *     void fullSyncStagesExactlyWhatThePortalHas() {
 *         Bitrix24Simulator sim = simulator(1, 700);
 *         connect(connection("b24-full", sim)); // tune: .settings("pageSize", "50"), .credential(...)
 *
 *         SyncRun run = sync("b24-full");
 *
 *         assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
 *         assertThat(staged("b24-full")).isEqualTo(Staged.of(sim.data().truth()));
 *     }
 *
 *     @Test
 *     void runThatDiesMidwayResumes() {
 *         ...
 *         faults.crashAfterPages("b24-crash", "deals", 3);
 *         assertThat(sync("b24-crash").status()).isEqualTo(SyncRunStatus.FAILED);
 *         ...
 *     }
 * }
 * }</pre>
 * {@link #connection} reaches the simulator with the credentials it lets in ({@link TestConnections}: a
 * system needs a line there only when its connection names more than a base URL, such as a company id);
 * {@link Staged} holds the reader of staging and one {@code of(<System>Truth)} per system (add yours).
 */
public abstract class SyncScenario extends HubIntegrationTest {

    @Autowired
    protected ConnectionService connections;
    @Autowired
    protected ConnectionRepository repository;
    @Autowired
    protected SyncRunner runner;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected SyncFaults faults;

    private final List<Simulator> simulators = new ArrayList<>();

    @AfterEach
    void clearFaultsAndStopSimulators() {
        faults.clear();
        simulators.forEach(Simulator::close);
        simulators.clear();
    }

    /** Closes {@code simulator} after the test. */
    protected <S extends Simulator> S started(S simulator) {
        simulators.add(simulator);
        return simulator;
    }

    /** A connection to {@code simulator} as {@link TestConnections} makes it, to tune before {@link #connect}. */
    protected TestConnection connection(String id, Simulator simulator) {
        return TestConnections.connection(id, simulator);
    }

    protected void connect(TestConnection connection) {
        connections.ensure(connection.definition());
    }

    protected void connect(ConnectionDefinition definition) {
        connections.ensure(definition);
    }

    /** One run of the connection, started by the test. */
    protected SyncRun sync(String connectionId) {
        return runner.run(connectionId, "test");
    }

    /** What staging holds for the connection, as sale and payment rows ({@link Staged#of(JdbcTemplate, String)}). */
    protected Staged staged(String connectionId) {
        return Staged.of(jdbc, connectionId);
    }

    /** The status of one staged sale. */
    protected String saleStatus(String connectionId, String sourceId) {
        return jdbc.queryForObject("SELECT status FROM staging.sale WHERE connection_id = ? AND source_id = ?", String.class,
                connectionId, sourceId);
    }

    /** The connection's cursors as they are stored, to compare before and after a run. */
    protected List<Map<String, Object>> cursors(String connectionId) {
        return jdbc.queryForList("SELECT stream, position::text, version FROM ops.sync_cursor WHERE connection_id = ? ORDER BY stream",
                connectionId);
    }
}
