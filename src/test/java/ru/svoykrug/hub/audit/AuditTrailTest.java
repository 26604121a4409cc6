package ru.svoykrug.hub.audit;

import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.privacy.StoredPersonalData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.nightly.StagingFixture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit: append-only in the database (no UPDATE, DELETE or TRUNCATE but the retention's), a sync's
 * writes of personal fields recorded by the staging triggers (one row per record written, none for a
 * write that changes no personal field), and the ops endpoint: a customer's entries newest first in pages,
 * its inputs checked, its role.
 */
class AuditTrailTest extends HubIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    ConnectionService connections;
    @Autowired
    AuditTrail trail;

    @Test
    void theDatabaseRefusesToChangeOrDeleteAuditEntries() {
        trail.read(new Actor("ops-x", "OPS"), 55_000_001L, "test", "points");
        for (String sql : List.of("UPDATE audit.entry SET channel = 'forged' WHERE customer_id = 55000001",
                "DELETE FROM audit.entry WHERE customer_id = 55000001", "TRUNCATE audit.entry")) {
            assertThatThrownBy(() -> jdbc.execute(sql)).as(sql).hasStackTraceContaining("append-only");
        }
        assertThatThrownBy(() -> transactions.executeWithoutResult(tx -> {
            jdbc.execute("SET LOCAL audit.retention = 'on'");
            jdbc.update("UPDATE audit.entry SET channel = 'forged' WHERE customer_id = 55000001");
        })).as("the retention's setting lets a DELETE through, never an UPDATE").hasStackTraceContaining("append-only");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit.entry WHERE customer_id = 55000001 AND channel = 'test'",
                Long.class)).isEqualTo(1);
    }

    @Test
    void aSyncsWritesOfPersonalFieldsAreAuditedOneRowPerRecordAsItsConnection() {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "audit-shop");
        shop.customer("a", "+79261110001").customer("b", "+79261110002");
        shop.sale("a", LocalDate.of(2026, 1, 10), 100);     // names its customer by id, no phone: nothing personal
        jdbc.update("""
                INSERT INTO staging.sale (connection_id, source_id, kind, status, phone_key, phone_sealed, occurred_at, zone,
                                          amount_kopecks, source_changed_at)
                VALUES ('audit-shop', 'by-phone', 'SALE', 'COMPLETED', ?, ?, now(), 'Europe/Moscow', 100, now())""",
                StoredPersonalData.phoneKey("+79261110003"), StoredPersonalData.sealedPhone("+79261110003"));
        // (the same phone staged again writes no row: SyncAuditTest, through the real upsert, which keeps the sealed
        // value when the fingerprint is unchanged; this fixture seals afresh)
        shop.customer("b", "+79261110009");                 // a new phone

        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT actor_subject, actor_role, action, array_to_string(fields, ',') AS fields, channel, customer_key, record_ref
                  FROM audit.entry WHERE connection_id = 'audit-shop' ORDER BY id""");
        assertThat(rows).extracting(r -> r.get("record_ref") + " " + r.get("fields") + " " + r.get("customer_key"))
                .containsExactly("customer:a phone_key,phone_sealed a", "customer:b phone_key,phone_sealed b",
                        "sale:by-phone phone_key,phone_sealed null", "customer:b phone_key,phone_sealed b");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("actor_subject")).isEqualTo("connection:audit-shop");
            assertThat(r.get("actor_role")).isEqualTo("SYNC");
            assertThat(r.get("action")).isEqualTo("CHANGE");
            assertThat(r.get("channel")).isEqualTo("sync:audit-shop");
        });
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit.entry WHERE array_to_string(ARRAY[customer_key, record_ref, channel], ' ') LIKE '%+7926111%'",
                Long.class)).as("no phone in the audit").isZero();
    }

    @Test
    void opsReadACustomersEntriesNewestFirstInPages() throws Exception {
        long customer = 55_000_002L;
        Actor actor = new Actor("55000002", "CUSTOMER");
        List<AuditEntry> entries = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            entries.add(AuditEntry.of(actor, AuditEntry.Action.READ, customer, "GET /api/v1/customers/me/points", "points_ledger"));
        }
        trail.recordAll(entries);
        trail.erased(new Actor("ops-y", "OPS"), customer, "DELETE /api/v1/ops/customers/{id}", List.of("name", "phone"));

        List<JsonNode> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = JSON.readTree(get("/api/v1/ops/audit?customerId=" + customer + "&limit=3"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), TestTokens.ops()).body());
            page.path("items").forEach(seen::add);
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asString();
        } while (cursor != null);
        assertThat(seen).hasSize(8);
        assertThat(seen.get(0).path("action").asString()).isEqualTo("ERASE");
        assertThat(seen.get(0).path("fields").toString()).isEqualTo("[\"name\",\"phone\"]");
        assertThat(seen.get(1).path("actor").path("role").asString()).isEqualTo("CUSTOMER");
        for (int k = 1; k < seen.size(); k++) {
            assertThat(seen.get(k).path("id").asLong()).isLessThan(seen.get(k - 1).path("id").asLong());
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit.entry WHERE customer_id = ? AND channel = 'GET /api/v1/ops/audit'",
                Long.class, customer)).as("reading a customer's audit is audited").isEqualTo(3);

        JsonNode none = JSON.readTree(get("/api/v1/ops/audit?customerId=" + customer + "&to=2000-01-01", TestTokens.ops()).body());
        assertThat(none.path("items")).isEmpty();
        JsonNode today = JSON.readTree(get("/api/v1/ops/audit?customerId=" + customer + "&from=" + LocalDate.now().minusDays(1)
                + "&to=2999-01-01T00:00:00Z&limit=500", TestTokens.ops()).body());
        assertThat(today.path("items").size()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void theEndpointChecksItsInputsAndIsForOpsOnly() throws Exception {
        for (String bad : List.of("customerId=x", "customerId=0", "customerId=-4", "from=yesterday", "to=2026-13-01",
                "from=2026-02-01&to=2026-01-01", "limit=0", "limit=501", "limit=z", "cursor=nope", "cursor=YXVkaXQ6LTE",
                "from=0001-01-01", "to=%2B999999999-12-31")) {
            HttpResponse<String> refused = get("/api/v1/ops/audit?" + bad, TestTokens.ops());
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
        assertThat(get("/api/v1/ops/audit", TestTokens.partner("mindal")).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/ops/audit", TestTokens.customer(55_000_002L)).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/ops/audit", TestTokens.ops()).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", TestTokens.bearer(token)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
