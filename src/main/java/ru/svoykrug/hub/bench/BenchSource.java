package ru.svoykrug.hub.bench;

import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.simulate.amocrm.AmocrmDataSet;
import ru.svoykrug.hub.simulate.amocrm.AmocrmSimulator;
import ru.svoykrug.hub.simulate.iiko.IikoDataSet;
import ru.svoykrug.hub.simulate.iiko.IikoSimulator;
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
            case "amocrm" -> new BenchSource() {
                final AmocrmSimulator sim = AmocrmSimulator.start(new AmocrmDataSet(seed, records));
                final AmocrmSimulator.TokenPair pair;
                {
                    sim.requestsPerSecond(0);
                    pair = sim.authorise();
                }

                public String system() { return system; }
                public String unit() { return "leads (plus a contact per two); one call at a time, as amoCRM wants"; }
                public ConnectionDefinition connection(String id) {
                    Instant now = Instant.now();
                    return new ConnectionDefinition(id, "Bench", system, "Europe/Moscow", false, "0 0 3 * * ?",
                            Map.of("baseUrl", sim.baseUrl(), "requestsPerSecond", "0", "pageSize", Integer.toString(Math.max(pageSize, 250))),
                            Map.of("clientId", AmocrmSimulator.CLIENT_ID, "clientSecret", AmocrmSimulator.CLIENT_SECRET,
                                    "redirectUri", AmocrmSimulator.REDIRECT_URI, "accessToken", pair.accessToken(),
                                    "refreshToken", pair.refreshToken(), "issuedAt", now.toString(),
                                    "expiresAt", now.plusSeconds(pair.expiresIn()).toString()));
                }
                public void close() { sim.close(); }
            };
            case "iiko" -> new BenchSource() {
                final IikoSimulator sim = IikoSimulator.start(new IikoDataSet(seed, records, moscow));

                public String system() { return system; }
                public String unit() { return "delivery orders over six days (first sync reads them by delivery date, in chunks)"; }
                public ConnectionDefinition connection(String id) {
                    // one window chunk carries about a page of orders: the 6 days of orders, cut to page size
                    long chunkMinutes = Math.max(1, 6L * 24 * 60 * pageSize / Math.max(1, records));
                    return new ConnectionDefinition(id, "Bench", system, "Europe/Moscow", false, "0 0 3 * * ?",
                            Map.of("baseUrl", sim.baseUrl(), "organizationId", sim.data().organizationId(),
                                    "requestsPerSecond", "0", "chunkMinutes", Long.toString(chunkMinutes)),
                            Map.of("apiLogin", IikoSimulator.API_LOGIN));
                }
                public void close() { sim.close(); }
            };
            default -> throw new IllegalArgumentException("unknown system '" + system + "'; known: yclients, amocrm, iiko, onec, renovatio");
        };
    }
}
