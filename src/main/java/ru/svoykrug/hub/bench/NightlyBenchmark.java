package ru.svoykrug.hub.bench;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubApplication;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.warehouse.AnalyticsQueries;
import ru.svoykrug.hub.warehouse.Warehouse;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

/**
 * Generates a circle's history straight into staging on a fresh embedded PostgreSQL (five partners,
 * {@code --customers} people of whom one in five shop at two partners under one phone, and
 * {@code --transactions} sales over two years), runs a full night, then a second night after 1% new
 * sales, and prints the seconds of every step and the peak heap. With a ClickHouse server
 * ({@code --clickhouse-url}, or {@code HUB_CLICKHOUSE_URL}) the nights end with their export, measured by
 * {@link WarehouseBenchmark}.
 */
final class NightlyBenchmark {

    static final LocalDate NIGHT = LocalDate.of(2026, 11, 25);
    private static final int PARTNERS = 5;

    private final long customers;
    private final long transactions;
    private final String clickhouseUrl;

    NightlyBenchmark(Map<String, String> options) {
        this.customers = Long.parseLong(options.getOrDefault("customers", "100000"));
        this.transactions = Long.parseLong(options.getOrDefault("transactions", "1000000"));
        this.clickhouseUrl = options.getOrDefault("clickhouse-url", System.getenv().getOrDefault("HUB_CLICKHOUSE_URL", ""));
    }

    int run() throws Exception {
        Path dataDir = Files.createTempDirectory("hub-bench-nightly-");
        try (ConfigurableApplicationContext hub = new SpringApplicationBuilder(HubApplication.class)
                .web(WebApplicationType.NONE)
                .run("--spring.config.location=classpath:/application.yml", "--hub.data-dir=" + dataDir,
                        "--spring.quartz.auto-startup=false", "--logging.level.root=WARN", "--hub.warehouse.url=" + clickhouseUrl,
                        "--logging.level.ru.svoykrug.hub.warehouse=INFO")) {
            JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
            long generating = System.nanoTime();
            generateCircle(hub, customers, transactions);
            System.out.printf("nightly.generate.seconds: %.1f s%n", (System.nanoTime() - generating) / 1e9);

            NightlyRuns runs = hub.getBean(NightlyRuns.class);
            Warehouse warehouse = hub.getBean(Warehouse.class);
            settle(jdbc, warehouse, "full");
            System.gc();
            resetPeaks();
            double full = night(runs, NIGHT, "full", !clickhouseUrl.isBlank());
            addNewSales(jdbc);
            settle(jdbc, warehouse, "incremental");
            double incremental = night(runs, NIGHT.plusDays(1), "incremental", !clickhouseUrl.isBlank());
            System.out.printf("nightly.customers: %d customers%n", jdbc.queryForObject("SELECT count(*) FROM core.customer", Long.class));
            System.out.printf("nightly.transactions: %d sales%n", jdbc.queryForObject("SELECT count(*) FROM core.purchase", Long.class));
            System.out.printf("nightly.full.seconds: %.1f s%n", full);
            System.out.printf("nightly.incremental.seconds: %.1f s%n", incremental);
            System.out.printf("nightly.peak_heap_mb: %.0f MB%n", peakHeapBytes() / 1048576.0);
            System.out.printf("nightly.max_heap_mb: %.0f MB%n", Runtime.getRuntime().maxMemory() / 1048576.0);
            if (clickhouseUrl.isBlank()) {
                System.out.println("export: no warehouse (give --clickhouse-url or HUB_CLICKHOUSE_URL to measure it)");
            } else {
                WarehouseBenchmark.queries(hub.getBean(AnalyticsQueries.class), NIGHT, NIGHT.plusDays(1));
            }
        } finally {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return 0;
    }

    /**
     * The databases as a night finds them a day after the last big load: PostgreSQL vacuumed and analysed
     * (what autovacuum does in the hours between, here at once) and ClickHouse done merging the parts of the
     * last export (waited for, at most ten minutes), so that a next night run straight after a first one is
     * not measured against their leftovers. Not part of any night's time. (In the runs of 2026-12-03
     * autovacuum had caught up during the export already: a few seconds here, and the figures unchanged.)
     */
    private static void settle(JdbcTemplate jdbc, Warehouse warehouse, String name) throws InterruptedException {
        long started = System.nanoTime();
        jdbc.execute("VACUUM (ANALYZE)");
        long vacuumed = System.nanoTime();
        long deadline = vacuumed + Duration.ofMinutes(10).toNanos();
        while (warehouse.configured() && System.nanoTime() < deadline
                && warehouse.query("SELECT count() AS merges FROM system.merges").get(0).get("merges").asLong() > 0) {
            Thread.sleep(1000);
        }
        System.out.printf("nightly.%s.settle: vacuum and analyze %.1f s, ClickHouse merges awaited %.1f s (not part of the night)%n",
                name, (vacuumed - started) / 1e9, (System.nanoTime() - vacuumed) / 1e9);
    }

    static double night(NightlyRuns runs, LocalDate date, String name) {
        return night(runs, date, name, false);
    }

    static double night(NightlyRuns runs, LocalDate date, String name, boolean measureExport) {
        long started = System.nanoTime();
        JobExecution night = runs.runAndWait(date, Duration.ofHours(3));
        double seconds = (System.nanoTime() - started) / 1e9;
        for (StepExecution step : night.getStepExecutions()) {
            double stepSeconds = Duration.between(step.getStartTime(), step.getEndTime()).toMillis() / 1000.0;
            System.out.printf("nightly.%s.%s.seconds: %.1f s%n", name, step.getStepName(), stepSeconds);
            if (step.getStepName().equals("warehouse") && measureExport) {
                WarehouseBenchmark.export(name, step);
            }
        }
        if (!night.getStatus().name().equals("COMPLETED")) {
            throw new IllegalStateException("the " + name + " night ended " + night.getStatus() + ": " + night.getExitStatus());
        }
        return seconds;
    }

    /**
     * People: a phone each, one in ten without a usable phone; every person is a client of one partner,
     * one in five of a second one too. Sales: a Pareto-like spread (a few people buy a lot); each person
     * joins at some day of the two years before the night and buys for a while (a month to almost
     * three years) and then stops, as customers do; amounts from 300 to 15,000 roubles, one in fifty
     * refunded in part.
     */
    // Phones as the hub keeps them: a blind index of the width PhoneIndex makes (22 characters) and a
    // sealed phone of the width Tink's AES-GCM makes of an E.164 phone (45 bytes). The night never opens
    // the sealed ones; they are here for the rows' width.
    private static final String BENCH_PHONE_KEY =
            "substr(translate(encode(sha256(convert_to('+7916' || lpad(i::text, 7, '0'), 'UTF8')), 'base64'), '+/', '-_'), 1, 22)";
    private static final String BENCH_SEALED = "decode(md5('a' || i) || md5('b' || i) || substr(md5('c' || i), 1, 26), 'hex')";

    static void generateCircle(ConfigurableApplicationContext hub, long customers, long transactions) {
        for (int p = 1; p <= PARTNERS; p++) {
            hub.getBean(ConnectionService.class).ensure(new ConnectionDefinition("bench-p" + p, "Bench partner " + p, "file",
                    "Europe/Moscow", false, "0 0 3 1 1 ? 2099", Map.of(), Map.of()));
        }
        JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
        jdbc.execute("SELECT setseed(0.42)");
        jdbc.update("""
                INSERT INTO staging.customer (connection_id, source_id, phone_key, phone_sealed, source_changed_at)
                SELECT 'bench-p' || (1 + i % 5), 'c' || i,
                       CASE WHEN i % 10 = 9 THEN NULL ELSE BENCH_PHONE_KEY END,
                       CASE WHEN i % 10 = 9 THEN NULL ELSE BENCH_SEALED END, now()
                  FROM generate_series(1, ?) AS i""".replace("BENCH_PHONE_KEY", BENCH_PHONE_KEY)
                .replace("BENCH_SEALED", BENCH_SEALED), customers);
        jdbc.update("""
                INSERT INTO staging.customer (connection_id, source_id, phone_key, phone_sealed, source_changed_at)
                SELECT 'bench-p' || (1 + (i + 2) % 5), 'c' || i, BENCH_PHONE_KEY, BENCH_SEALED, now()
                  FROM generate_series(1, ?) AS i WHERE i % 5 = 0 AND i % 10 <> 9"""
                .replace("BENCH_PHONE_KEY", BENCH_PHONE_KEY).replace("BENCH_SEALED", BENCH_SEALED), customers);
        jdbc.update("""
                INSERT INTO staging.sale (connection_id, source_id, kind, status, customer_source_id, phone_key, occurred_at, zone,
                                          amount_kopecks, source_changed_at)
                SELECT 'bench-p' || (1 + c % 5), 's' || n, 'SALE', 'COMPLETED', 'c' || c, NULL,
                       timestamptz '2024-11-25 09:00+03'
                           + (joined + random() * least(lifetime, 730 - joined)) * interval '1 day', 'Europe/Moscow',
                       (30000 + floor(random() * 1470000))::bigint, now()
                  FROM (SELECT n, c, (c * 7919) % 600 AS joined, 30 + (c * 104729) % 900 AS lifetime
                          FROM (SELECT n, 1 + floor(? * power(random(), 3))::bigint AS c FROM generate_series(1, ?) AS n) picked) s""",
                customers, transactions);
        jdbc.update("""
                INSERT INTO staging.payment (connection_id, source_id, sale_source_id, occurred_at, zone, amount_kopecks, source_changed_at)
                SELECT connection_id, 'refund-' || source_id, source_id, occurred_at + interval '2 days', zone, -amount_kopecks / 4, now()
                  FROM staging.sale WHERE source_id LIKE 's%' AND (substr(source_id, 2)::bigint) % 50 = 0""");
        jdbc.execute("ANALYZE");
    }

    private void addNewSales(JdbcTemplate jdbc) {
        jdbc.update("""
                INSERT INTO staging.sale (connection_id, source_id, kind, status, customer_source_id, phone_key, occurred_at, zone,
                                          amount_kopecks, source_changed_at)
                SELECT 'bench-p' || (1 + c % 5), 'new' || n, 'SALE', 'COMPLETED', 'c' || c, NULL,
                       timestamptz '2026-11-26 12:00+03', 'Europe/Moscow', (30000 + floor(random() * 1470000))::bigint, now()
                  FROM (SELECT n, 1 + floor(? * power(random(), 3))::bigint AS c FROM generate_series(1, ?) AS n) s""",
                customers, Math.max(1, transactions / 100));
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeapBytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
