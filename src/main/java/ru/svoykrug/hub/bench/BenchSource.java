package ru.svoykrug.hub.bench;

import ru.svoykrug.hub.connect.ConnectionDefinition;
import ru.svoykrug.hub.simulate.onec.OnecDataSet;
import ru.svoykrug.hub.simulate.onec.OnecSimulator;
import ru.svoykrug.hub.simulate.renovatio.RenovatioDataSet;
import ru.svoykrug.hub.simulate.renovatio.RenovatioSimulator;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

/**
 * The simulated partner system an ingest benchmark reads from, with the connection that reaches it.
 * Vendor rate limits are lifted: at the vendor's pace the benchmark would measure the vendor.
 */
interface BenchSource extends AutoCloseable {

    String system();

    /** What one unit of {@code --records} is in this system. */
    String unit();

    ConnectionDefinition connection(String id);

    @Override
    void close();

    static BenchSource start(String system, long seed, int records, int pageSize, int windowDays) {
        ZoneId moscow = ZoneId.of("Europe/Moscow");
        return switch (system) {
            case "yclients" -> new BenchSource() {
                final YclientsSimulator sim = YclientsSimulator.start(YclientsDataSet.of(seed, records), 4564);
                {
                    sim.requestsPerSecond(0);
                }

                public String system() { return system; }
                public String unit() { return "appointments (plus a client per five, a transaction per two)"; }
                public ConnectionDefinition connection(String id) {
                    return new ConnectionDefinition(id, "Bench", system, "Europe/Moscow", false, "0 0 3 * * ?",
                            Map.of("baseUrl", sim.baseUrl(), "companyId", "4564", "requestsPerSecond", "0",
                                    "pageSize", Integer.toString(pageSize)),
                            Map.of("partnerToken", YclientsSimulator.PARTNER_TOKEN, "userToken", YclientsSimulator.USER_TOKEN));
                }
                public void close() { sim.close(); }
            };
            case "onec" -> new BenchSource() {
                final OnecSimulator sim = OnecSimulator.start(new OnecDataSet(seed, records, 0, moscow, Instant.now()));

                public String system() { return system; }
                public String unit() { return "receipts (plus a customer and a discount card per five)"; }
                public ConnectionDefinition connection(String id) {
                    return new ConnectionDefinition(id, "Bench", system, "Europe/Moscow", false, "0 0 3 * * ?",
                            Map.of("baseUrl", sim.baseUrl(), "requestsPerSecond", "0", "pageSize", Integer.toString(pageSize)),
                            Map.of("user", OnecSimulator.USER, "password", OnecSimulator.PASSWORD));
                }
                public void close() { sim.close(); }
            };
            case "renovatio" -> new BenchSource() {
                final RenovatioSimulator sim = RenovatioSimulator.start(new RenovatioDataSet(seed, records, 0, moscow, Instant.now()));

                public String system() { return system; }
                public String unit() { return "appointments (plus an invoice per three, a payment per two), medical"; }
                public ConnectionDefinition connection(String id) {
                    return new ConnectionDefinition(id, "Bench", system, "Europe/Moscow", true, "0 0 3 * * ?",
                            Map.of("baseUrl", sim.baseUrl(), "requestsPerSecond", "0", "windowDays", Integer.toString(windowDays),
                                    "historyFrom", LocalDate.now().minusDays(370).toString()),
                            Map.of("apiKey", RenovatioSimulator.API_KEY));
                }
                public void close() { sim.close(); }
            };
            default -> throw new IllegalArgumentException("unknown system '" + system + "'; known: yclients, onec, renovatio");
        };
    }
}
