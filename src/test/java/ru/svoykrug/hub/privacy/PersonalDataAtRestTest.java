package ru.svoykrug.hub.privacy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.DatabaseDump;
import ru.svoykrug.hub.connect.SyncScenario;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.simulate.Simulators;
import ru.svoykrug.hub.simulate.kit.Simulator;
import ru.svoykrug.hub.simulate.kit.Simulator.Spec;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After syncs of every simulated partner system (malformed records included) and a night, no table of any
 * schema holds a name or a phone the partners sent, in any shape they wrote phones in, and neither does the
 * log of it all nor of API calls that name phones. The names and phones looked for are the staged ones,
 * opened with the hub's keys: everything the hub kept of a person.
 */
@ExtendWith(OutputCaptureExtension.class)
class PersonalDataAtRestTest extends SyncScenario {

    @Autowired
    DataSource dataSource;
    @Autowired
    NightlyRuns runs;
    @LocalServerPort
    int port;

    @Test
    void noNameOrPhoneOfAnySimulatedPartnerIsInTheDatabaseOrTheLog(CapturedOutput output) throws Exception {
        for (String system : Simulators.systems()) {
            Simulator sim = started(Simulators.start(system, new Spec(13, 150, 9, ZoneId.of("Europe/Moscow"), Instant.now())));
            connect(connection("pd-" + system, sim).settings("historyFrom", LocalDate.now().minusDays(400).toString(),
                    "requestsPerSecond", "0"));
            sync("pd-" + system);
        }
        assertThat(runs.runAndWait(LocalDate.now().minusDays(1), Duration.ofMinutes(5)).getStatus().name()).isEqualTo("COMPLETED");

        Set<String> phones = new TreeSet<>();
        for (String table : List.of("staging.customer", "staging.sale", "staging.payment")) {
            phones.addAll(StoredPersonalData.phones(jdbc, "SELECT phone_sealed FROM " + table
                    + " WHERE connection_id LIKE 'pd-%' AND phone_sealed IS NOT NULL"));
        }
        Set<String> names = new TreeSet<>();
        jdbc.query("SELECT name_sealed FROM staging.customer WHERE connection_id LIKE 'pd-%' AND name_sealed IS NOT NULL",
                rs -> {
                    names.add(StoredPersonalData.openName(rs.getBytes(1)));
                });
        assertThat(phones).as("the partners' phones, as the hub keeps them").hasSizeGreaterThan(100)
                .allMatch(p -> p.matches("\\+7\\d{10}"));
        assertThat(names).hasSizeGreaterThan(50);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ops.dead_letter WHERE connection_id LIKE 'pd-%'", Integer.class))
                .as("bad records were met").isPositive();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM core.customer_link WHERE connection_id LIKE 'pd-%' "
                + "AND customer_key LIKE 'phone:%'", Integer.class)).as("customers matched by phone alone").isPositive();

        String phone = phones.iterator().next();
        String receipt = java.util.UUID.randomUUID().toString(); // (a receipt seen before would get its first answer)
        List<HttpResponse<String>> answers = List.of(
                redeem("{\"phone\":\"" + phone + "\",\"points\":0,\"receiptRef\":\"r-1-" + receipt + "\"}"),
                redeem("{\"phone\":\"8 (999) 000-11-22\",\"points\":1,\"receiptRef\":\"r-2-" + receipt + "\"}"),
                redeem("{\"phone\":\"not a phone " + phone + "\",\"points\":1,\"receiptRef\":\"r-3-" + receipt + "\"}"),
                send(HttpRequest.newBuilder(uri("/api/v1/ops/customers/" + phone.replace("+", "%2B"))).DELETE(), TestTokens.ops()));
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.statusCode()).as("%s %s", answer.request().uri(), answer.body()).isBetween(400, 499);
            assertNoPersonalData("a problem's body", answer.body(), phones, names);
        }

        String dump = DatabaseDump.everyTable(dataSource);
        assertThat(dump).contains("pd-yclients", "pd-renovatio");
        assertNoPersonalData("the database", dump, phones, names);
        assertThat(phoneShaped(dump)).as("no phone of any shape in the database").isEmpty();
        String hex = HexFormat.of().formatHex(dump.getBytes(StandardCharsets.UTF_8));
        for (String name : names) {
            assertThat(hex).as("a name as bytes").doesNotContain(HexFormat.of().formatHex(name.getBytes(StandardCharsets.UTF_8)));
        }
        assertNoPersonalData("the log", output.getAll(), phones, names);
    }

    /** Where the text holds something phone-shaped (what masking would change), with its context; "" for nowhere. */
    private static String phoneShaped(String text) {
        String masked = Masking.phones(text);
        int i = 0;
        while (i < text.length() && i < masked.length() && text.charAt(i) == masked.charAt(i)) {
            i++;
        }
        if (i == text.length() && i == masked.length()) {
            return "";
        }
        int line = text.lastIndexOf('\n', i) + 1;
        return text.substring(line, Math.min(text.length(), i + 40));
    }

    /** A phone in every shape partners write one, and every name. */
    private static void assertNoPersonalData(String where, String text, Set<String> phones, Set<String> names) {
        for (String e164 : phones) {
            String d = e164.substring(2);
            String code = d.substring(0, 3);
            String rest = d.substring(3, 6) + "-" + d.substring(6, 8) + "-" + d.substring(8);
            for (String shape : List.of(e164, "8" + d, "7" + d, d, "+7 (" + code + ") " + rest, "8 (" + code + ") " + rest,
                    "+7 " + code + " " + rest, "8-" + code + "-" + rest, "+7 " + code + " " + d.substring(3, 6) + " "
                            + d.substring(6, 8) + " " + d.substring(8))) {
                assertThat(text).as("a phone in %s", where).doesNotContain(shape);
            }
        }
        for (String name : names) {
            if (name.length() >= 4) {
                assertThat(text).as("a name in %s", where).doesNotContain(name);
            }
        }
    }

    private HttpResponse<String> redeem(String body) throws Exception {
        String partner = jdbc.queryForObject("SELECT partner_id FROM ops.partner_connection WHERE id = 'pd-yclients'", String.class);
        return send(HttpRequest.newBuilder(uri("/api/v1/partners/" + partner + "/redemptions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)),
                TestTokens.partner(partner));
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
        return HttpClient.newHttpClient().send(request.header("Authorization", TestTokens.bearer(token)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
