package ru.svoykrug.hub.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubApplication;
import ru.svoykrug.hub.customers.MeAnswers;
import ru.svoykrug.hub.nightly.NightCalendar;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.security.TokenMinter;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The customer API under load, on the nightly benchmark's circle ({@code --customers}, {@code --transactions})
 * after its full night: {@code GET /api/v1/customers/me} from {@code --clients} threads for
 * {@code --seconds} (after a warm-up of at least a minute), each request a random customer's token; then concurrent
 * redemptions of 1 to 50 points, most of them at a few hundred customers at once so that requests for one
 * customer collide, and a check that no lot and no customer went below zero; then {@code GET /api/v1/ops/connections}
 * as an ops user. Client and hub share the machine.
 */
final class ApiBenchmark {

    private static final String PARTNER = "bench-partner-1";

    private final long customers;
    private final long transactions;
    private final int clients;
    private final int seconds;
    private final Path keptData;

    ApiBenchmark(Map<String, String> options) {
        this.customers = Long.parseLong(options.getOrDefault("customers", "100000"));
        this.transactions = Long.parseLong(options.getOrDefault("transactions", "1000000"));
        this.clients = Integer.parseInt(options.getOrDefault("clients", "16"));
        this.seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        this.keptData = options.containsKey("data") ? Path.of(options.get("data")).toAbsolutePath() : null;
    }

    int run() throws Exception {
        // --data: a folder kept after the run; a second run on it skips generating the circle and its night
        Path dataDir = keptData == null ? Files.createTempDirectory("hub-bench-api-") : Files.createDirectories(keptData);
        Path ready = dataDir.resolve("bench-api-circle");
        String circle = customers + " customers, " + transactions + " transactions\n";
        if (Files.exists(ready) && !Files.readString(ready).equals(circle)) {
            System.err.println(dataDir + " holds another circle: " + Files.readString(ready).strip());
            return 2;
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String base64 = Base64.getEncoder().encodeToString(secret);
        try (ConfigurableApplicationContext hub = new SpringApplicationBuilder(HubApplication.class)
                .run("--spring.config.location=classpath:/application.yml", "--hub.data-dir=" + dataDir, "--server.port=0",
                        "--hub.security.hmac-secret=" + base64, "--hub.security.demo-tokens=false",
                        "--spring.quartz.auto-startup=false", "--logging.level.root=WARN")) {
            JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
            if (!Files.exists(ready)) {
                NightlyBenchmark.generateCircle(hub, customers, transactions);
                NightlyBenchmark.night(hub.getBean(NightlyRuns.class), NightlyBenchmark.NIGHT, "api-setup");
                Files.writeString(ready, circle);
            }
            int port = ((WebServerApplicationContext) hub).getWebServer().getPort();
            List<Long> ids = jdbc.queryForList("SELECT customer_id FROM core.customer_tier ORDER BY random() LIMIT 20000", Long.class);
            TokenMinter minter = TokenMinter.ofBase64Secret(base64);
            String[] tokens = ids.stream().map(id -> minter.customer(id, Instant.now(), Duration.ofHours(3))).toArray(String[]::new);
            System.out.printf("api.customers: %d customers, %d sales%n", jdbc.queryForObject("SELECT count(*) FROM core.customer", Long.class),
                    jdbc.queryForObject("SELECT count(*) FROM core.purchase", Long.class));

            URI hubAt = URI.create("http://localhost:" + port);
            String me = "/api/v1/customers/me";
            String redeem = "/api/v1/customers/me/redemptions";
            String[] hot = Arrays.copyOf(tokens, Math.min(300, tokens.length));
            AtomicLong key = new AtomicLong(System.currentTimeMillis());
            AtomicLong spent = new AtomicLong();
            // (a kept data folder holds the redemptions of earlier runs: this run's come after them)
            long earlier = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM core.redemption", Long.class);
            // Each caller on one keep-alive connection (KeepAliveClient: the JDK's client cost eight times its CPU).
            // A minute's warm-up at least: on two cores the JIT compiles the request path for about that long under
            // load (after 20 s of it, me measured 1,163 req/s; after 50 s, 1,587).
            Call anyMe = http -> http.get(me, tokens[ThreadLocalRandom.current().nextInt(tokens.length)]);
            load(hubAt, clients, Math.max(60, seconds), anyMe);
            Answers answers = new Answers(hub.getBean(MeterRegistry.class));
            load(hubAt, clients, seconds, anyMe).print("api.me");
            answers.print("api.me");
            // as the morning after a night: every kept answer outdated, each customer's first request computes
            jdbc.queryForList("SELECT core.answers_outdated('bench')");
            load(hubAt, clients, seconds, anyMe).print("api.me_after_night");
            answers.print("api.me_after_night");
            // the same once the answers of those who asked were computed again, as the night does when it completes
            jdbc.queryForList("SELECT core.answers_outdated('bench')");
            long warming = System.nanoTime();
            int warmed = hub.getBean(MeAnswers.class).warm(hub.getBean(NightCalendar.class).yesterday().plusDays(1));
            System.out.printf("api.warm: %d answers in %.1f s%n", warmed, (System.nanoTime() - warming) / 1e9);
            load(hubAt, clients, seconds, anyMe).print("api.me_after_warmed_night");
            answers.print("api.me_after_warmed_night");

            Call redeemOne = http -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                String token = random.nextInt(4) == 0 ? tokens[random.nextInt(tokens.length)] : hot[random.nextInt(hot.length)];
                long points = 1 + random.nextInt(50);
                int status = http.post(redeem, token, "bench-" + key.incrementAndGet(),
                        "{\"partnerId\": \"" + PARTNER + "\", \"points\": " + points + "}");
                if (status == 201) {
                    spent.addAndGet(points);
                }
                return status == 409 ? 200 : status; // too few points is an answer, not an error
            };
            load(hubAt, clients, seconds, redeemOne).print("api.redeem");
            // both at once: the redemptions outdate their customers' kept answers while me is asked
            int redeemers = Math.max(1, clients / 4);
            CompletableFuture<Result> beside = CompletableFuture.supplyAsync(() -> {
                try {
                    return load(hubAt, redeemers, seconds, redeemOne);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            load(hubAt, clients - redeemers, seconds, anyMe).print("api.me_beside_redemptions");
            beside.join().print("api.redeem_beside_me");
            answers.print("api.me_beside_redemptions");

            // the ops list of connections with their last runs (one query for the list)
            String connections = "/api/v1/ops/connections";
            String ops = minter.ops("bench-ops", Instant.now(), Duration.ofHours(3));
            load(hubAt, clients, Math.max(1, seconds / 4), http -> http.get(connections, ops));
            load(hubAt, clients, seconds, http -> http.get(connections, ops)).print("api.ops_connections");

            long ledger = -jdbc.queryForObject("SELECT coalesce(sum(active_delta), 0) FROM core.points_ledger "
                    + "WHERE entry_type = 'REDEEM' AND redemption_id > ?", Long.class, earlier);
            long negativeLots = jdbc.queryForObject("SELECT count(*) FROM core.points_lot WHERE active < 0 OR pending < 0", Long.class);
            long negativeCustomers = jdbc.queryForObject("""
                    SELECT count(*) FROM (SELECT customer_id FROM core.points_ledger GROUP BY customer_id
                                           HAVING sum(active_delta) < 0 OR sum(pending_delta) < 0) n""", Long.class);
            System.out.printf("api.redeem.succeeded: %d redemptions%n",
                    jdbc.queryForObject("SELECT count(*) FROM core.redemption WHERE id > ?", Long.class, earlier));
            System.out.printf("api.redeem.points_answered_vs_ledger: %d / %d points%n", spent.get(), ledger);
            System.out.printf("api.redeem.overdrafts: %d lots, %d customers%n", negativeLots, negativeCustomers);
            return negativeLots == 0 && negativeCustomers == 0 && spent.get() == ledger ? 0 : 1;
        } finally {
            if (keptData == null) {
                deleteAll(dataDir);
            }
        }
    }

    private static void deleteAll(Path dataDir) throws java.io.IOException {
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** How many answers of me were kept ones and how many computed since the last print (the hub's counters) */
    private static final class Answers {
        private final MeterRegistry meters;
        private double kept;
        private double computed;

        Answers(MeterRegistry meters) {
            this.meters = meters;
            this.kept = count("kept");
            this.computed = count("computed");
        }

        void print(String name) {
            double k = count("kept");
            double c = count("computed");
            System.out.printf("%s.answers: %.0f kept, %.0f computed%n", name, k - kept, c - computed);
            kept = k;
            computed = c;
        }

        private double count(String answer) {
            Counter counter = meters.find(MeAnswers.ANSWERS).tag("answer", answer).counter();
            return counter == null ? 0 : counter.count();
        }
    }

    private interface Call {
        int status(KeepAliveClient http) throws Exception;
    }

    /** {@code threads} callers for {@code seconds}, each on its own connection; every call's latency, and the answers that were not 2xx. */
    private static Result load(URI hub, int threads, int seconds, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long started = System.nanoTime();
        try {
            List<Future<long[]>> runs = new java.util.ArrayList<>();
            AtomicLong errors = new AtomicLong();
            for (int t = 0; t < threads; t++) {
                runs.add(pool.submit(() -> {
                    long[] latencies = new long[1 << 16];
                    int n = 0;
                    try (KeepAliveClient http = new KeepAliveClient(hub)) {
                        while (System.nanoTime() < end) {
                            long at = System.nanoTime();
                            int status = call.status(http);
                            if (n == latencies.length) {
                                latencies = Arrays.copyOf(latencies, n * 2);
                            }
                            latencies[n++] = System.nanoTime() - at;
                            if (status / 100 != 2) {
                                errors.incrementAndGet();
                            }
                        }
                    }
                    return Arrays.copyOf(latencies, n);
                }));
            }
            long[] all = new long[0];
            for (Future<long[]> run : runs) {
                long[] some = run.get();
                int from = all.length;
                all = Arrays.copyOf(all, from + some.length);
                System.arraycopy(some, 0, all, from, some.length);
            }
            Arrays.sort(all);
            return new Result(all, (System.nanoTime() - started) / 1e9, errors.get());
        } finally {
            pool.shutdownNow();
        }
    }

    private record Result(long[] latencies, double seconds, long errors) {
        void print(String name) {
            System.out.printf("%s.requests: %d requests in %.1f s, %d not 2xx%n", name, latencies.length, seconds, errors);
            System.out.printf("%s.throughput: %.0f req/s%n", name, latencies.length / seconds);
            System.out.printf("%s.p50: %.2f ms%n", name, percentile(0.50));
            System.out.printf("%s.p99: %.2f ms%n", name, percentile(0.99));
        }

        double percentile(double p) {
            return latencies.length == 0 ? 0 : latencies[(int) Math.min(latencies.length - 1, Math.floor(p * latencies.length))] / 1e6;
        }
    }
}
