package ru.svoykrug.hub.bench;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubApplication;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.security.TokenMinter;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunner;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Freshness end to end on a hub of its own with a YCLIENTS simulator at the vendor's limits (5 calls in any
 * second, 200 in any minute): {@code --sales} sales made one by one in the simulator, each followed by the
 * webhook YCLIENTS sends, timed until {@code GET /api/v1/customers/me} shows more pending points; then
 * {@code --runs} incremental syncs, each after {@code --changed} new records, timed from start to end of the
 * run (daytime points included). {@code --vendor-limits off} lifts the vendor's limits on both sides: what
 * the hub does when the vendor is not the bottleneck.
 */
final class FreshnessBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    private static final String CONNECTION = "fresh-yclients";

    private final int sales;
    private final int runs;
    private final int changed;
    private final boolean vendorLimits;
    private final long pauseMillis;
    private final boolean splitBatch;

    FreshnessBenchmark(Map<String, String> options) {
        this.sales = Integer.parseInt(options.getOrDefault("sales", "100"));
        this.runs = Integer.parseInt(options.getOrDefault("runs", "20"));
        this.changed = Integer.parseInt(options.getOrDefault("changed", "1000"));
        this.vendorLimits = !"off".equals(options.getOrDefault("vendor-limits", "on"));
        this.pauseMillis = Long.parseLong(options.getOrDefault("pause-ms", "1000"));
        this.splitBatch = !"off".equals(options.getOrDefault("split-batch", "on"));
    }

    int run() throws Exception {
        Path dataDir = Files.createTempDirectory("hub-bench-fresh-");
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String base64 = Base64.getEncoder().encodeToString(secret);
        TokenMinter minter = TokenMinter.ofBase64Secret(base64);
        HttpClient http = HttpClient.newHttpClient();
        try (YclientsSimulator sim = YclientsSimulator.start(YclientsDataSet.of(7, 3000), YclientsSimulator.COMPANY_ID);
             ConfigurableApplicationContext hub = new SpringApplicationBuilder(HubApplication.class)
                     .run("--spring.config.location=classpath:/application.yml", "--hub.data-dir=" + dataDir, "--server.port=0",
                             "--hub.security.hmac-secret=" + base64, "--hub.security.demo-tokens=false", "--logging.level.root=WARN")) {
            if (!vendorLimits) {
                sim.liftRateLimit();
            }
            JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
            String root = "http://localhost:" + ((WebServerApplicationContext) hub).getWebServer().getPort();
            hub.getBean(ConnectionService.class).ensure(new ConnectionDefinition(CONNECTION, "Fresh Bench", "yclients",
                    MOSCOW.getId(), false, "0 0 3 1 1 ? 2099", Map.of("baseUrl", sim.baseUrl(),
                    "companyId", Integer.toString(sim.companyId()), "historyFrom", "2015-01-01",
                    // each run reads what changed since the last, not the vendor's ten-minute overlap again, which
                    // here would hold every record the benchmark made (thousands a minute; a salon makes a few)
                    "overlapMinutes", "0", "requestsPerSecond", vendorLimits ? "5" : "0",
                    "requestsPerMinute", vendorLimits ? "200" : "0"), sim.credentials()));
            String partner = jdbc.queryForObject("SELECT partner_id FROM ops.partner_connection WHERE id = ?", String.class, CONNECTION);
            String partnerToken = minter.partner(partner, Instant.now(), Duration.ofHours(3));
            HttpResponse<String> address = send(http, "POST", root + "/api/v1/partners/" + partner + "/connections/" + CONNECTION
                    + "/webhook", partnerToken);
            String hook = root + JSON.readTree(address.body()).path("path").asString();
            SyncRunner runner = hub.getBean(SyncRunner.class);
            runner.run(CONNECTION, "bench");
            hub.getBean(NightlyRuns.class).runAndWait(LocalDate.now(MOSCOW).minusDays(1), Duration.ofMinutes(10));

            List<Map<String, Object>> known = jdbc.queryForList("""
                    SELECT l.customer_key, coalesce(c.merged_into, c.id) AS customer_id
                      FROM core.customer_link l JOIN core.customer c ON c.id = l.customer_id
                     WHERE l.connection_id = ? AND l.customer_key ~ '^[0-9]+$' ORDER BY l.customer_key""", CONNECTION);
            long[] freshness = new long[sales];
            for (int i = 0; i < sales; i++) {
                Map<String, Object> who = known.get(i % known.size());
                long customer = ((Number) who.get("customer_id")).longValue();
                String token = minter.customer(customer, Instant.now(), Duration.ofHours(3));
                long before = pending(http, root, token);
                long sold = System.nanoTime();
                int record = sim.data().addRecord(Integer.parseInt((String) who.get("customer_key")), 300_000, Instant.now());
                sim.notifyRecordChanged(hook, record);
                long deadline = sold + Duration.ofSeconds(180).toNanos();
                while (pending(http, root, token) <= before) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("sale " + (i + 1) + ": no pending points after 180 s");
                    }
                    Thread.sleep(100);
                }
                freshness[i] = System.nanoTime() - sold;
            }
            print("freshness.sale_to_pending_points", freshness);

            long[] syncs = new long[runs];
            long[] inRun = new long[runs];
            long[] calls = new long[runs];
            long read = 0;
            for (int r = 0; r < runs; r++) {
                // changed_after counts in whole seconds, so a run re-reads every change of the second its cursor
                // stands in: the batch goes into a second of its own, all but its last change, which comes a
                // second later and is the only one the next run reads again (a thousand changes made within one
                // millisecond, as before, were all read twice)
                // (--split-batch off: the batch as before, right after the last run, in one go)
                if (splitBatch) {
                    Thread.sleep(pauseMillis);
                    awaitNextSecond();
                }
                for (int k = 0; k < changed; k++) {
                    if (splitBatch && k == changed - 1) {
                        awaitNextSecond();
                    }
                    Map<String, Object> who = known.get((r * changed + k) % known.size());
                    sim.data().addRecord(Integer.parseInt((String) who.get("customer_key")), 100_000 + k, Instant.now());
                }
                long callsBefore = sim.requests();
                long started = System.nanoTime();
                SyncRun run = runner.run(CONNECTION, "bench");
                syncs[r] = System.nanoTime() - started;
                inRun[r] = Duration.between(run.startedAt(), run.finishedAt()).toNanos();
                calls[r] = sim.requests() - callsBefore;
                read += run.recordsRead();
                if (!"SUCCEEDED".equals(run.status().name())) {
                    throw new IllegalStateException("incremental sync " + (r + 1) + " ended " + run.status());
                }
            }
            System.out.printf("freshness.incremental_records_read: %d records in %d runs of %d changed records%n", read, runs, changed);
            System.out.printf("freshness.incremental_calls_per_run: %s (429s over the whole benchmark: %d; most calls in any second %d, "
                    + "in any minute %d)%n", Arrays.toString(calls), sim.tooManyRequests(), sim.maxRequestsInAnySecond(),
                    sim.maxRequestsInAnyMinute());
            System.out.printf("freshness.vendor_limits: %s; batches %s%n", vendorLimits ? "on (5 a second, 200 a minute)" : "off",
                    splitBatch ? "split (a second of their own, the last change a second later, " + pauseMillis + " ms after the last run)"
                            : "right after the last run, in one go");
            print("freshness.incremental_sync", syncs);
            print("freshness.incremental_sync_run_only", inRun); // ops.sync_run's start to end: without the daytime points
            return 0;
        } finally {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void awaitNextSecond() throws InterruptedException {
        long millis = System.currentTimeMillis();
        Thread.sleep(1000 - millis % 1000 + 5);
    }

    private static long pending(HttpClient http, String root, String token) throws Exception {
        HttpResponse<String> me = send(http, "GET", root + "/api/v1/customers/me", token);
        if (me.statusCode() != 200) {
            throw new IllegalStateException("GET /customers/me answered " + me.statusCode());
        }
        return JSON.readTree(me.body()).at("/points/pending").asLong();
    }

    private static HttpResponse<String> send(HttpClient http, String method, String url, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void print(String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%s.count: %d%n", name, sorted.length);
        System.out.printf("%s.p50: %.2f s%n", name, sorted[sorted.length / 2] / 1e9);
        System.out.printf("%s.p95: %.2f s%n", name, sorted[Math.min(sorted.length - 1, (int) Math.ceil(0.95 * sorted.length) - 1)] / 1e9);
        System.out.printf("%s.max: %.2f s%n", name, sorted[sorted.length - 1] / 1e9);
    }
}
