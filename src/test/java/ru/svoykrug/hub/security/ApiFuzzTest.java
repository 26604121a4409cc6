package ru.svoykrug.hub.security;

import ru.svoykrug.hub.privacy.StoredPersonalData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.nightly.StagingFixture;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At least {@value #REQUESTS} generated requests to every endpoint the running hub serves (read from its
 * handler mappings, so endpoints added later are fuzzed too, plus actuator, the error page and the API
 * document), with missing, expired, forged, other partners' and other customers' tokens: zero 5xx, every
 * error a problem, and no answer carries data of a partner or customer other than the token's when the
 * request did not name it. No refused or malformed request starts a night or a sync.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiFuzzTest extends HubIntegrationTest {

    static final int REQUESTS = 2400;
    private static final String[] EXTRA_GETS = {"/actuator/health", "/actuator/prometheus", "/actuator/metrics", "/error",
            "/v3/api-docs", "/api/v1/partners/{partnerId}/anything", "/api/v1/customers/me/anything"};

    @LocalServerPort
    int port;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;
    @Autowired
    ConnectionService connections;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    NightlyRuns nights;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Party alpha;
    private Party beta;

    /** A partner with one customer of its own: the marks that must never reach the other's answers. */
    record Party(String partnerId, String connectionId, String phone, long customerId) {
    }

    @BeforeAll
    void twoPartnersEachWithACustomerInCore() {
        StagingFixture a = StagingFixture.partner(connections, jdbc, "fuzz-alpha").customer("fa1", "+79165550771");
        StagingFixture b = StagingFixture.partner(connections, jdbc, "fuzz-beta").customer("fb1", "+79165550772");
        a.sale("fa1", LocalDate.of(2026, 6, 1), 3_000);
        b.sale("fb1", LocalDate.of(2026, 6, 2), 4_000);
        nights.runAndWait(LocalDate.of(2026, 6, 10), Duration.ofMinutes(3));
        alpha = party("fuzz-alpha", "+79165550771");
        beta = party("fuzz-beta", "+79165550772");
    }

    private Party party(String connectionId, String phone) {
        String partnerId = jdbc.queryForObject("SELECT partner_id FROM ops.partner_connection WHERE id = ?", String.class, connectionId);
        Long customer = jdbc.queryForObject("SELECT id FROM core.customer WHERE phone_key = ?", Long.class,
                StoredPersonalData.phoneKey(phone));
        return new Party(partnerId, connectionId, phone, customer);
    }

    @Test
    void noInputToAnyEndpointGetsA5xxOrAnotherPartysData() throws Exception {
        List<ApiEndpoints.Endpoint> endpoints = new ArrayList<>(ApiEndpoints.of(mapping).all());
        for (String path : EXTRA_GETS) {
            endpoints.add(new ApiEndpoints.Endpoint("GET", path, null));
        }
        long nightsBefore = count("batch_job_execution");
        long runsBefore = count("ops.sync_run WHERE connection_id LIKE 'fuzz-%'");
        int perEndpoint = Math.max(150, REQUESTS / endpoints.size() + 1);
        List<String> ids = List.of(alpha.partnerId(), beta.partnerId(), Long.toString(alpha.customerId()),
                Long.toString(beta.customerId()), alpha.phone(), beta.phone());
        Map<String, String> tokens = Map.of(
                "none", "", "ops", TestTokens.ops(), "alpha", TestTokens.partner(alpha.partnerId()),
                "beta", TestTokens.partner(beta.partnerId()), "alpha-customer", TestTokens.customer(alpha.customerId()),
                "beta-customer", TestTokens.customer(beta.customerId()), "expired", TestTokens.expiredOps(),
                "forged", TestTokens.forgedOps(), "garbage", "eyJhbGciOiJub25lIn0.eyJyb2xlcyI6WyJPUFMiXX0.");
        List<String> tokenNames = List.copyOf(new java.util.TreeSet<>(tokens.keySet()));

        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger sent = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int e = 0; e < endpoints.size(); e++) {
            ApiEndpoints.Endpoint endpoint = endpoints.get(e);
            long seed = 20261202L * 31 + e;
            pool.submit(() -> {
                FuzzRequests fuzz = new FuzzRequests(seed, ids);
                java.util.Random pickToken = new java.util.Random(seed);
                for (int n = 0; n < perEndpoint; n++) {
                    String who = tokenNames.get(pickToken.nextInt(tokenNames.size()));
                    Party own = who.startsWith("beta") ? beta : alpha;
                    FuzzRequests.Fuzzed request = fuzz.next(endpoint, own.partnerId());
                    try {
                        Answer answer = send(request, tokens.get(who));
                        sent.incrementAndGet();
                        check(endpoint, who, request, answer, failures);
                    } catch (Exception ex) {
                        failures.add(endpoint + " as " + who + ": " + ex + " for " + abbreviate(request.text()));
                    }
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();

        assertThat(sent.get()).isGreaterThanOrEqualTo(REQUESTS);
        assertThat(failures).as("of %d requests", sent.get()).isEmpty();
        assertThat(count("batch_job_execution")).as("no fuzzed request started a night").isEqualTo(nightsBefore);
        // (other tests' connections may sync on their schedules meanwhile: only this test's are counted)
        assertThat(count("ops.sync_run WHERE connection_id LIKE 'fuzz-%'")).as("no fuzzed request started a sync").isEqualTo(runsBefore);
    }

    private void check(ApiEndpoints.Endpoint endpoint, String who, FuzzRequests.Fuzzed request, Answer answer, Queue<String> failures) {
        String what = endpoint + " as " + who + " -> " + answer.status() + ": " + abbreviate(request.text());
        if (answer.status() >= 500 || answer.status() < 100) {
            failures.add(what + " answered " + abbreviate(answer.body()));
            return;
        }
        if (answer.status() >= 400 && !answer.body().isEmpty() && !answer.contentType().startsWith("application/problem+json")) {
            failures.add(what + " not a problem but " + answer.contentType());
        }
        if (answer.status() >= 400 && (answer.body().contains("\tat ") || answer.body().contains("Exception"))) {
            failures.add(what + " shows an exception");
        }
        Party own = who.startsWith("beta") ? beta : alpha;
        Party other = own == alpha ? beta : alpha;
        List<String> foreign = new ArrayList<>();
        if (who.equals("alpha") || who.equals("beta")) {
            foreign.add(other.partnerId());
            foreign.add(other.connectionId());
        }
        if (who.endsWith("-customer")) {
            foreign.add(other.phone());
            foreign.add("\"customerId\":" + other.customerId() + ",");
            foreign.add("\"customerId\":" + other.customerId() + "}");
            foreign.add(other.partnerId());
        }
        for (String mark : foreign) {
            // an answer may repeat what the request itself named (a 404 naming the path asked for); nothing else
            if (!request.text().contains(mark.replace("\"customerId\":", "").replace(",", "").replace("}", ""))
                    && answer.body().contains(mark)) {
                failures.add(what + " carries another party's " + mark);
            }
        }
    }

    record Answer(int status, String contentType, String body) {
    }

    private Answer send(FuzzRequests.Fuzzed request, String token) throws Exception {
        String bearer = token.isEmpty() ? null : token;
        if (request.raw()) {
            RawHttp.Answer raw = RawHttp.send(port, request.method(), request.target(), bearer, request.contentType(),
                    request.body(), request.accept());
            return new Answer(raw.status(), raw.contentType(), raw.body());
        }
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + request.target()))
                    .timeout(Duration.ofSeconds(30)).method(request.method(), request.body() == null
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body()));
            if (request.contentType() != null && !request.contentType().isEmpty()) builder.header("Content-Type", request.contentType());
            if (request.accept() != null && !request.accept().isEmpty()) builder.header("Accept", request.accept());
            if (bearer != null) builder.header("Authorization", TestTokens.bearer(bearer));
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IllegalArgumentException refusedByTheClient) {
            // what java.net.http will not send (a bad URI or header) goes as bytes on a socket
            RawHttp.Answer raw = RawHttp.send(port, request.method(), request.target(), bearer, request.contentType(),
                    request.body(), request.accept());
            return new Answer(raw.status(), raw.contentType(), raw.body());
        }
    }

    private long count(String rows) {
        return jdbc.queryForObject("SELECT count(*) FROM " + rows, Long.class);
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
