package ru.svoykrug.hub.connect.renovatio;

import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.simulate.renovatio.RenovatioSimulator;

import java.time.LocalDate;

/** Renovatio connections of the tests: medical, as the clinic's is, and reading from before the simulated history. */
final class RenovatioConnections {

    private RenovatioConnections() {
    }

    static ConnectionDefinition medical(String id, RenovatioSimulator sim) {
        return TestConnections.connection(id, sim).partner("Millenium")
                .settings("windowDays", "30", "historyFrom", LocalDate.now().minusDays(400).toString(), "requestsPerSecond", "0")
                .definition();
    }
}
