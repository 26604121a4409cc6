package ru.svoykrug.hub.connect.renovatio;

import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.simulate.renovatio.RenovatioSimulator;
import ru.svoykrug.hub.simulate.renovatio.RenovatioTruth;

import java.time.LocalDate;
import java.util.Map;

/** Renovatio connections of the tests: medical, as the clinic's is, and reading from before the simulated history. */
final class RenovatioConnections {

    private RenovatioConnections() {
    }

    static ConnectionDefinition medical(String id, RenovatioSimulator sim) {
        return new ConnectionDefinition(id, "Millenium", "renovatio", "Europe/Moscow", true, TestConnections.NEVER,
                Map.of("baseUrl", sim.baseUrl(), "clinicId", RenovatioSimulator.CLINIC_ID, "windowDays", "30",
                        "historyFrom", LocalDate.now().minusDays(400).toString(), "requestsPerSecond", "0"),
                Map.of("apiKey", RenovatioSimulator.API_KEY));
    }

    static Staged staged(RenovatioTruth truth) {
        return new Staged(truth.customers(), truth.saleRows(), truth.completedSales(), truth.completedSalesKopecks(),
                truth.payments(), truth.paymentsKopecks());
    }
}
