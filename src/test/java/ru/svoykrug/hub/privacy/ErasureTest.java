package ru.svoykrug.hub.privacy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connect.SyncScenario;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import ru.svoykrug.hub.sync.SyncRunStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Erasure through the API and then real syncs of a YCLIENTS simulator: the person's names and phones
 * leave staging and core, their purchases stay with the anonymous customer, the same records re-read do
 * not bring them back, and a record the partner changes after the erasure makes a new customer.
 */
class ErasureTest extends SyncScenario {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    NightlyRuns runs;
    @Autowired
    PhoneIndex phoneIndex;

    @Test
    void anErasedCustomerStaysAnonymousThroughResyncsUntilThePartnerChangesTheRecordWhichMakesANewCustomer() throws Exception {
        YclientsSimulator sim = started(YclientsSimulator.start(new YclientsDataSet(77, 300, 0, ZoneId.of("Europe/Moscow")), 4901));
        connect(connection("erase-yc", sim).settings("pageSize", "100", "historyFrom", "2015-01-01T00:00:00+03:00"));
        assertThat(sync("erase-yc").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        night(LocalDate.of(2026, 10, 1));

        // a client with a phone and purchases
        Map<String, Object> picked = jdbc.queryForMap("""
                SELECT c.source_id, l.customer_id, c.phone_sealed
                  FROM staging.customer c
                  JOIN core.customer_link l ON l.connection_id = c.connection_id AND l.customer_key = c.source_id
                 WHERE c.connection_id = 'erase-yc' AND c.phone_key IS NOT NULL AND c.name_sealed IS NOT NULL
                   AND (SELECT count(*) FROM core.purchase p WHERE p.customer_id = l.customer_id) >= 2
                 ORDER BY c.source_id LIMIT 1""");
        String client = (String) picked.get("source_id");
        long customer = (Long) picked.get("customer_id");
        String phone = StoredPersonalData.openPhone((byte[]) picked.get("phone_sealed"));
        String phoneKey = phoneIndex.of(phone);
        int purchases = purchasesOf(customer);
        long points = pointsOf(customer);

        HttpResponse<String> erased = delete("/api/v1/ops/customers/" + customer, TestTokens.ops());
        assertThat(erased.statusCode()).isEqualTo(200);
        JsonNode report = JSON.readTree(erased.body());
        assertThat(report.at("/customerId").asLong()).isEqualTo(customer);
        // (other tests' connections may hold the same simulated people, linked to the same customer: erased too)
        assertThat(report.at("/rows/staging.customer").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(report.at("/rows/staging.sale").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(report.at("/rows/core.customer").asInt()).isEqualTo(1);
        assertThat(erased.body()).doesNotContain(phone).doesNotContain(phoneKey).doesNotContain(phone.substring(2));
        assertErased(client, customer, phoneKey, purchases);
        assertThat(pointsOf(customer)).as("points stay").isEqualTo(points);
        // audited: one ERASE entry by the ops token, and the staged rows it changed as its own, not a sync's
        assertThat(jdbc.queryForList("SELECT actor_role || ' ' || channel || ' ' || array_to_string(fields, ',') FROM audit.entry "
                + "WHERE action = 'ERASE' AND customer_id = ?", String.class, customer))
                .singleElement().satisfies(e -> assertThat(e).startsWith("OPS DELETE /api/v1/ops/customers/{id} name,phone,staging.customer,")
                        .contains(",staging.sale,").endsWith(",core.customer_link,core.customer"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit.entry WHERE connection_id = 'erase-yc' AND record_ref = ? "
                + "AND channel = 'DELETE /api/v1/ops/customers/{id}' AND actor_role = 'OPS'", Long.class, "customer:" + client))
                .isEqualTo(1);

        HttpResponse<String> again = delete("/api/v1/ops/customers/" + customer, TestTokens.ops());
        assertThat(again.statusCode()).as("already erased").isEqualTo(404);
        assertThat(again.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));

        // the partner sends everything again, unchanged (a re-read from the start): nobody comes back
        jdbc.update("DELETE FROM ops.sync_cursor WHERE connection_id = 'erase-yc'");
        assertThat(sync("erase-yc").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        night(LocalDate.of(2026, 10, 2));
        assertErased(client, customer, phoneKey, purchases);

        // the partner changes the client's card after the erasure: a new customer, the old purchases stay
        sim.data().renameClient(Integer.parseInt(client), "Новое имя", Instant.now());
        assertThat(sync("erase-yc").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        night(LocalDate.of(2026, 10, 3));
        Long reborn = jdbc.queryForObject("SELECT id FROM core.customer WHERE phone_key = ?", Long.class, phoneKey);
        assertThat(reborn).isNotEqualTo(customer);
        assertThat(jdbc.queryForObject("SELECT customer_id FROM core.customer_link WHERE connection_id = 'erase-yc' "
                + "AND customer_key = ?", Long.class, client)).isEqualTo(reborn);
        assertThat(purchasesOf(customer)).isEqualTo(purchases);
        assertThat(purchasesOf(reborn)).as("the old visits stay with the anonymous customer").isZero();
        assertThat(StoredPersonalData.name(jdbc, "erase-yc", client)).isEqualTo("Новое имя");
    }

    @Test
    void aCustomerErasesThemselfOnceAndUnknownOrMalformedIdsAreProblems() throws Exception {
        long customer = jdbc.queryForObject("SELECT coalesce(max(id), 0) + 1 FROM core.customer", Long.class);
        jdbc.update("INSERT INTO core.customer (id, phone_key, created_on) VALUES (?, ?, current_date)", customer,
                phoneIndex.of("+79990001122"));

        assertThat(get("/api/v1/customers/me", TestTokens.customer(customer)).statusCode()).isEqualTo(200);
        HttpResponse<String> erased = delete("/api/v1/customers/me", TestTokens.customer(customer));
        assertThat(erased.statusCode()).isEqualTo(200);
        for (String path : new String[] {"", "/points", "/purchases", "/consent"}) {
            HttpResponse<String> gone = get("/api/v1/customers/me" + path, TestTokens.customer(customer));
            assertThat(gone.statusCode()).as("erased: no customer of the API any more, " + path).isEqualTo(404);
            assertThat(gone.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        }
        assertThat(JSON.readTree(erased.body()).at("/rows/core.customer").asInt()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT phone_key FROM core.customer WHERE id = ?", String.class, customer)).isNull();
        assertThat(delete("/api/v1/customers/me", TestTokens.customer(customer)).statusCode()).isEqualTo(404);

        assertThat(delete("/api/v1/ops/customers/987654321", TestTokens.ops()).statusCode()).isEqualTo(404);
        assertThat(delete("/api/v1/ops/customers/abc", TestTokens.ops()).statusCode()).isEqualTo(400);
        assertThat(delete("/api/v1/ops/customers/" + customer, TestTokens.customer(customer)).statusCode())
                .as("ops only").isEqualTo(403);
    }

    private void assertErased(String client, long customer, String phoneKey, int purchases) {
        assertThat(jdbc.queryForMap("SELECT name_sealed, phone_sealed, phone_key, erased_at FROM staging.customer "
                + "WHERE connection_id = 'erase-yc' AND source_id = ?", client))
                .containsEntry("name_sealed", null).containsEntry("phone_sealed", null).containsEntry("phone_key", null)
                .hasEntrySatisfying("erased_at", at -> assertThat(at).isNotNull());
        for (String table : new String[] {"staging.customer", "staging.sale", "staging.payment", "core.customer"}) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE phone_key = ?", Integer.class, phoneKey))
                    .as("the phone's key in %s", table).isZero();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM core.customer_link WHERE (customer_id = ? AND customer_key <> ?) "
                + "OR (connection_id = 'erase-yc' AND customer_key IN (?, ?))", Integer.class, customer, "erased:" + customer,
                client, "phone:" + phoneKey)).as("the customer's only links are its erased keys").isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'erase-yc' "
                + "AND customer_source_id = ?", Integer.class, client)).isZero();
        assertThat(jdbc.queryForMap("SELECT phone_key, erased_at FROM core.customer WHERE id = ?", customer))
                .containsEntry("phone_key", null).hasEntrySatisfying("erased_at", at -> assertThat(at).isNotNull());
        assertThat(purchasesOf(customer)).as("purchases stay, for accounting").isEqualTo(purchases);
    }

    private int purchasesOf(long customer) {
        return jdbc.queryForObject("SELECT count(*) FROM core.purchase WHERE customer_id = ?", Integer.class, customer);
    }

    private long pointsOf(long customer) {
        return jdbc.queryForObject("SELECT coalesce(sum(pending_delta + active_delta), 0) FROM core.points_ledger "
                + "WHERE customer_id = ?", Long.class, customer);
    }

    private void night(LocalDate date) {
        assertThat(runs.runAndWait(date, Duration.ofMinutes(5)).getStatus().name()).isEqualTo("COMPLETED");
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", TestTokens.bearer(token)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", TestTokens.bearer(token)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }
}
