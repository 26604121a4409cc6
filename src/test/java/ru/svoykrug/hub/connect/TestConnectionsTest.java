package ru.svoykrug.hub.connect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.simulate.Simulators;
import ru.svoykrug.hub.simulate.kit.Simulator;
import ru.svoykrug.hub.simulate.kit.Simulator.Spec;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixture reaches every simulated system, a new one included, by its system name alone. */
class TestConnectionsTest {

    static Set<String> systems() {
        return Simulators.systems();
    }

    @ParameterizedTest
    @MethodSource("systems")
    void everySimulatedSystemHasAConnectionToItsSimulatorThatNeverFires(String system) {
        try (Simulator sim = Simulators.start(system, Spec.of(7, 20))) {
            ConnectionDefinition c = TestConnections.connection(system + "-fixture", sim).settings("pageSize", "10").definition();

            assertThat(c.system()).isEqualTo(system);
            assertThat(c.schedule()).isEqualTo(TestConnections.NEVER);
            assertThat(c.medical()).isEqualTo(sim.medical());
            assertThat(c.settings()).containsEntry("baseUrl", sim.baseUrl()).containsEntry("pageSize", "10");
            assertThat(c.credentials()).as("the credentials the simulator lets in")
                    .containsOnlyKeys(sim.credentials().keySet());
        }
    }
}
