package ru.svoykrug.hub.customers;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.audit.Actor;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.loyalty.DaytimePoints;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.nightly.StagingFixture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /customers/me} kept per customer (V36): a kept answer is served until something it shows changes,
 * and every writer of what it shows makes the next answer a fresh one: a redemption and its cancellation,
 * consent, daytime points, each step of the night, a partner's new name, another day, an erasure. To tell a kept
 * answer from a computed one the test overwrites the kept body with a marker: the marker comes back only while the
 * kept answer counts.
 */
class MeAnswersTest extends HubIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    private static final LocalDate TODAY = LocalDate.now(MOSCOW);
    private static final String MARKER = "{\"kept\":\"marker\"}";

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    ConnectionService connections;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    NightlyRuns runs;
    @Autowired
    DaytimePoints daytime;
    @Autowired
    MeAnswers answers;
    @Autowired
    MeterRegistry meters;
    @Autowired
    MeQuery query;
    @Autowired
    JsonMapper mapper;

    private static StagingFixture cafe;
    private static long customer;
    private static long racer;
    private static long regular;
    private static long gone;

    /** Two customers of a café with a Cyrillic name, after a night (once for the class: a night costs seconds) */
    @BeforeEach
    void circle() {
        if (customer != 0) {
            return;
        }
        cafe = StagingFixture.partner(connections, jdbc, "ans-cafe");
        connections.update(new ConnectionDefinition("ans-cafe", "Кафе «Круг»", "file", "Europe/Moscow", false,
                "0 0 3 1 1 ? 2099", Map.of(), Map.of()));
        cafe.customer("a", "+79267770031");
        cafe.customer("b", "+79267770032");
        cafe.sale("a", TODAY.minusDays(40), 10_000);       // 500 points, active by now
        cafe.sale("a", TODAY.minusDays(3), 2_000);         // 100 points, pending
        cafe.sale("b", TODAY.minusDays(40), 4_000);        // 200 points
        cafe.customer("c", "+79267770033");
        cafe.customer("d", "+79267770034");
        cafe.sale("c", TODAY.minusDays(30), 1_000);
        cafe.sale("d", TODAY.minusDays(30), 1_000);
        night(TODAY.minusDays(2));
        customer = cafe.customerId("a");
        racer = cafe.customerId("b");
        regular = cafe.customerId("c");
        gone = cafe.customerId("d");
    }

    @Test
    void aKeptAnswerIsServedUntilAWriterChangesWhatItShows() throws Exception {
        JsonNode first = me(customer);
        assertThat(first.at("/points/active").asLong()).isEqualTo(500);
        assertThat(first.at("/points/pending").asLong()).isEqualTo(100);
        assertThat(first.at("/partners/0/name").asString()).as("UTF-8 kept and served").isEqualTo("Кафе «Круг»");
        assertThat(JSON.readTree(jdbc.queryForObject("SELECT body FROM core.customer_answer WHERE customer_id = ?",
                String.class, customer))).as("kept as answered").isEqualTo(first);
        markKept();
        double kept = answers("kept");
        double computed = answers("computed");
        assertThat(meText(customer)).as("the kept answer, by one look-up").isEqualTo(MARKER);
        assertThat(answers("kept") - kept).as("counted for ops").isEqualTo(1);
        assertThat(answers("computed")).isEqualTo(computed);

        String token = TestTokens.customer(customer);
        // (a name without Latin letters gives the partner an id of its hash, V12)
        String partner = jdbc.queryForObject("SELECT partner_id FROM ops.partner_connection WHERE id = 'ans-cafe'", String.class);
        HttpResponse<String> redeemed = post("/api/v1/customers/me/redemptions", token,
                "{\"partnerId\": \"" + partner + "\", \"points\": 120}", "ans-1");
        assertThat(redeemed.statusCode()).as(redeemed.body()).isEqualTo(201);
        assertThat(me(customer).at("/points/active").asLong()).as("after a redemption").isEqualTo(380);

        markKept();
        long id = JSON.readTree(redeemed.body()).at("/id").asLong();
        HttpResponse<String> cancelled = post("/api/v1/partners/" + partner + "/redemptions/" + id + "/cancel",
                TestTokens.partner(partner), "", null);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(me(customer).at("/points/active").asLong()).as("after its cancellation").isEqualTo(500);

        markKept();
        HttpResponse<String> withdrawn = put("/api/v1/customers/me/consent", token, "{\"given\": false}");
        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
        JsonNode noConsent = me(customer);
        assertThat(noConsent.at("/consent/given").asBoolean()).as("after consent withdrawn").isFalse();
        assertThat(noConsent.at("/segmentWithheld").asString()).contains("no consent");
        assertThat(put("/api/v1/customers/me/consent", token, "{\"given\": true}").statusCode()).isEqualTo(200);
        assertThat(me(customer).at("/consent/given").asBoolean()).isTrue();

        markKept();
        cafe.sale("a", TODAY, 3_000);                      // 150 points, pending within minutes
        assertThat(daytime.post("ans-cafe")).isEqualTo(1);
        assertThat(me(customer).at("/points/pending").asLong()).as("after daytime points").isEqualTo(250);

        markKept();
        night(TODAY.minusDays(1));
        JsonNode afterNight = me(customer);
        assertThat(afterNight.at("/points/pending").asLong()).as("after a night: the daytime points are the ledger's")
                .isEqualTo(250);
        assertThat(afterNight.at("/tier/asOf").asString()).isEqualTo(TODAY.minusDays(1).toString());

        markKept();
        connections.update(new ConnectionDefinition("ans-cafe", "Кафе «Свой круг»", "file", "Europe/Moscow", false,
                "0 0 3 1 1 ? 2099", Map.of(), Map.of()));
        assertThat(me(customer).at("/partners/0/name").asString()).as("after the partner's new name").isEqualTo("Кафе «Свой круг»");

        markKept();
        Optional<String> tomorrow = answers.answer(customer, new Actor(String.valueOf(customer), "CUSTOMER"), TODAY.plusDays(1));
        assertThat(tomorrow).as("another day: points expire by the day").hasValueSatisfying(b -> assertThat(b).isNotEqualTo(MARKER));

        markKept();
        assertThat(delete("/api/v1/customers/me", token).statusCode()).isEqualTo(200);
        HttpResponse<String> erased = get(customer);
        assertThat(erased.statusCode()).as("erased: no customer of the API any more").isEqualTo(404);
        assertThat(erased.body()).doesNotContain("marker");
    }

    @Test
    void anAnswerComputedBeforeAChangeCommitsIsNotKept() throws Exception {
        assertThat(me(racer).at("/points/active").asLong()).isEqualTo(200);
        jdbc.queryForList("SELECT core.answers_outdated('test')");    // (a kept answer would be served: the writer has not committed)
        CountDownLatch changedNotCommitted = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        // a writer that changes the customer's points and counts the change, and waits before it commits
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(tx -> {
            jdbc.update("UPDATE core.points_lot SET active = active - 50 WHERE customer_id = ? AND active >= 50", racer);
            jdbc.queryForList("SELECT core.customers_changed(ARRAY[CAST(? AS bigint)])", racer);
            changedNotCommitted.countDown();
            await(commit);
        }));
        assertThat(changedNotCommitted.await(30, TimeUnit.SECONDS)).isTrue();
        // the reader computes from its snapshot (200 points), then waits on the writer's row to keep it
        CompletableFuture<JsonNode> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return me(racer);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (waitingToKeep() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(waitingToKeep()).as("the reader waits for the writer's commit to keep its answer").isEqualTo(1);
        commit.countDown();
        writer.get(30, TimeUnit.SECONDS);
        assertThat(reader.get(30, TimeUnit.SECONDS).at("/points/active").asLong()).as("as of its snapshot").isEqualTo(200);

        assertThat(jdbc.queryForObject("SELECT coalesce(answered = changes, false) FROM core.customer_answer WHERE customer_id = ?",
                Boolean.class, racer)).as("the answer of before the change is not kept as current").isFalse();
        assertThat(me(racer).at("/points/active").asLong()).as("the next answer is computed").isEqualTo(150);
    }

    @Test
    void aNightComputesAgainTheAnswersOfThoseWhoAskedInTheLastWeek() throws Exception {
        me(regular);
        me(gone);
        jdbc.update("UPDATE core.customer_answer SET asked_on = ? WHERE customer_id = ?", TODAY.minusDays(8), gone);
        long reads = reads(regular);

        night(TODAY.minusDays(1));
        assertThat(current(regular)).as("asked today: computed again once the night completed").isTrue();
        assertThat(current(gone)).as("last asked eight days ago: left to a request of theirs").isFalse();
        assertThat(reads(regular)).as("nobody read it: no audit row").isEqualTo(reads);
        assertThat(jdbc.queryForObject("SELECT asked_on FROM core.customer_answer WHERE customer_id = ?", LocalDate.class, regular))
                .as("a warmed answer is not an ask").isEqualTo(TODAY);

        double computed = answers("computed");
        JsonNode served = me(regular);
        assertThat(answers("computed")).as("the morning's request is a look-up").isEqualTo(computed);
        assertThat(served).as("what a computation now answers")
                .isEqualTo(JSON.readTree(mapper.writeValueAsString(query.compute(regular, TODAY).orElseThrow().me())));
    }

    @Test
    void theApiDocumentSaysWhatTheAnswerHolds() throws Exception {
        HttpResponse<String> doc = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v3/api-docs")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode ok = JSON.readTree(doc.body()).path("paths").path("/api/v1/customers/me").path("get").path("responses").path("200");
        assertThat(ok.at("/content/application~1json/schema/$ref").asString()).as(ok.toString()).endsWith("/Me");
        assertThat(JSON.readTree(doc.body()).at("/components/schemas/Me/properties").has("points")).isTrue();
    }

    private boolean current(long id) {
        return jdbc.queryForObject("SELECT coalesce(answered = changes AND day = ? AND outdatings = " + MeQuery.OUTDATINGS
                + ", false) FROM core.customer_answer WHERE customer_id = ?", Boolean.class, TODAY, id);
    }

    private long reads(long id) {
        return jdbc.queryForObject("SELECT count(*) FROM audit.entry WHERE customer_id = ? AND action = 'READ'", Long.class, id);
    }

    private double answers(String answer) {
        return meters.get(MeAnswers.ANSWERS).tag("answer", answer).counter().count();
    }

    private int waitingToKeep() {
        return jdbc.queryForObject("""
                SELECT count(*)::integer FROM pg_stat_activity
                 WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO core.customer_answer%'""", Integer.class);
    }

    private void markKept() {
        assertThat(jdbc.update("UPDATE core.customer_answer SET body = ? WHERE customer_id = ? AND answered = changes",
                MARKER, customer)).as("an answer is kept").isEqualTo(1);
    }

    private void night(LocalDate businessDate) {
        assertThat(runs.runAndWait(businessDate, Duration.ofMinutes(5)).getStatus().name()).isEqualTo("COMPLETED");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode me(long id) throws Exception {
        HttpResponse<String> answer = get(id);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(answer.body());
    }

    private String meText(long id) throws Exception {
        return get(id).body();
    }

    private HttpResponse<String> get(long id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/customers/me"))
                .header("Authorization", TestTokens.bearer(TestTokens.customer(id))).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", TestTokens.bearer(token)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", TestTokens.bearer(token)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", TestTokens.bearer(token)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
