package ru.svoykrug.hub.bench;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubApplication;
import ru.svoykrug.hub.connect.ConnectionDefinition;
import ru.svoykrug.hub.connect.ConnectionService;
import ru.svoykrug.hub.connect.SyncRun;
import ru.svoykrug.hub.connect.SyncRunner;
import ru.svoykrug.hub.simulate.amocrm.AmocrmDataSet;
import ru.svoykrug.hub.simulate.amocrm.AmocrmSimulator;
import ru.svoykrug.hub.simulate.iiko.IikoDataSet;
import ru.svoykrug.hub.simulate.iiko.IikoSimulator;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Syncs a generated partner system ({@code --system}: a YCLIENTS company of {@code --records} appointments
 * plus a client per five and a transaction per two; an amoCRM account of {@code --records} leads plus a
 * contact per two; an iiko organization of {@code --records} delivery orders over six days) from its
 * simulator into staging on a fresh embedded PostgreSQL, then loads the same rows with {@code COPY} as
 * the physical reference. Vendor rate limits are lifted and the run says so: at the vendors' limits the
 * benchmark would measure the vendor, not the hub.
 */
final class IngestBenchmark {

    private final int records;
    private final long seed;
    private final int pageSize;
    private final String system;

    IngestBenchmark(Map<String, String> options) {
        this.system = options.getOrDefault("system", "yclients");
        this.records = Integer.parseInt(options.getOrDefault("records", "100000"));
        this.seed = Long.parseLong(options.getOrDefault("seed", "7"));
        this.pageSize = Integer.parseInt(options.getOrDefault("page-size", system.equals("amocrm") ? "250" : "200"));
    }

    /** A simulator with its vendor limit lifted, and the connection that syncs it. */
    private record Target(AutoCloseable simulator, ConnectionDefinition connection, String note) {
    }

    private Target target() {
        return switch (system) {
            case "yclients" -> {
                YclientsSimulator simulator = YclientsSimulator.start(YclientsDataSet.of(seed, records), 4564);
                simulator.requestsPerSecond(0);
                yield new Target(simulator, new ConnectionDefinition("bench-yclients", "Bench", "yclients",
                        "Europe/Moscow", false, "0 0 3 * * ?",
                        Map.of("baseUrl", simulator.baseUrl(), "companyId", "4564", "requestsPerSecond", "0",
                                "pageSize", Integer.toString(pageSize)),
                        Map.of("partnerToken", YclientsSimulator.PARTNER_TOKEN, "userToken", YclientsSimulator.USER_TOKEN)),
                        "simulator rate limit lifted (the vendor allows 5 calls a second)");
            }
            case "amocrm" -> {
                AmocrmSimulator simulator = AmocrmSimulator.start(new AmocrmDataSet(seed, records));
                simulator.requestsPerSecond(0);
                AmocrmSimulator.TokenPair pair = simulator.authorise();
                java.time.Instant now = java.time.Instant.now();
                yield new Target(simulator, new ConnectionDefinition("bench-amocrm", "Bench", "amocrm",
                        "Europe/Moscow", false, "0 0 3 * * ?",
                        Map.of("baseUrl", simulator.baseUrl(), "requestsPerSecond", "0", "pageSize", Integer.toString(pageSize)),
                        Map.of("clientId", AmocrmSimulator.CLIENT_ID, "clientSecret", AmocrmSimulator.CLIENT_SECRET,
                                "redirectUri", AmocrmSimulator.REDIRECT_URI, "accessToken", pair.accessToken(),
                                "refreshToken", pair.refreshToken(), "issuedAt", now.toString(),
                                "expiresAt", now.plusSeconds(pair.expiresIn()).toString())),
                        "simulator rate limit lifted (the vendor allows 7 calls a second, one call at a time)");
            }
            case "iiko" -> {
                IikoSimulator simulator = IikoSimulator.start(new IikoDataSet(seed, records, java.time.ZoneId.of("Europe/Moscow")));
                // one window chunk carries about a page of orders: the 6 days of orders, cut to page size
                long chunkMinutes = Math.max(1, 6L * 24 * 60 * pageSize / Math.max(1, records));
                yield new Target(simulator, new ConnectionDefinition("bench-iiko", "Bench", "iiko",
                        "Europe/Moscow", false, "0 0 3 * * ?",
                        Map.of("baseUrl", simulator.baseUrl(), "organizationId", simulator.data().organizationId(),
                                "requestsPerSecond", "0", "chunkMinutes", Long.toString(chunkMinutes)),
                        Map.of("apiLogin", IikoSimulator.API_LOGIN)),
                        "hub's own pacing lifted (iiko publishes no limit); first sync reads 7 days by delivery date in "
                                + chunkMinutes + "-minute chunks");
            }
            default -> throw new IllegalArgumentException("unknown --system '" + system + "'; known: yclients, amocrm, iiko");
        };
    }

    int run() throws Exception {
        Path dataDir = Files.createTempDirectory("hub-bench-");
        Target target = target();
        try (AutoCloseable simulator = target.simulator()) {
            try (ConfigurableApplicationContext hub = new SpringApplicationBuilder(HubApplication.class)
                    .web(WebApplicationType.NONE)
                    .run("--spring.config.location=classpath:/application.yml",
                            "--hub.data-dir=" + dataDir,
                            "--spring.quartz.auto-startup=false",
                            "--logging.level.root=WARN")) {
                hub.getBean(ConnectionService.class).ensure(target.connection());
                System.gc();
                resetPeaks();
                long started = System.nanoTime();
                SyncRun run = hub.getBean(SyncRunner.class).run(target.connection().id(), "bench");
                double seconds = (System.nanoTime() - started) / 1e9;
                long peakHeap = peakHeapBytes();
                if (run.status().name().equals("FAILED")) {
                    System.err.println("the sync failed: " + run.errorMessage());
                    return 1;
                }
                JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
                long staged = jdbc.queryForObject("SELECT (SELECT count(*) FROM staging.sale) + (SELECT count(*) FROM staging.customer)"
                        + " + (SELECT count(*) FROM staging.payment)", Long.class);
                System.out.println("ingest.note: " + target.note());
                System.out.println("ingest.system: " + system);
                System.out.printf("ingest.status: %s%n", run.status());
                System.out.printf("ingest.%s: %d records%n", switch (system) {
                    case "amocrm" -> "leads";
                    case "iiko" -> "orders";
                    default -> "appointments";
                }, records);
                System.out.printf("ingest.items: %d records%n", run.recordsRead());
                System.out.printf("ingest.staged: %d rows%n", staged);
                System.out.printf("ingest.pages: %d pages%n", run.pages());
                System.out.printf("ingest.seconds: %.2f s%n", seconds);
                System.out.printf("ingest.records_per_s: %.0f records/s%n", run.recordsRead() / seconds);
                System.out.printf("ingest.peak_heap_mb: %.0f MB%n", peakHeap / 1048576.0);
                System.out.printf("ingest.max_heap_mb: %.0f MB%n", Runtime.getRuntime().maxMemory() / 1048576.0);
                double copySeconds = copyReference(hub.getBean(DataSource.class), dataDir);
                System.out.printf("ingest.copy_seconds: %.2f s%n", copySeconds);
                System.out.printf("ingest.copy_records_per_s: %.0f records/s%n", staged / copySeconds);
            }
        } finally {
            deleteQuietly(dataDir);
        }
        return 0;
    }

    /** The staged rows, dumped to files, loaded again into empty copies of the tables with COPY. */
    private static double copyReference(DataSource dataSource, Path dir) throws Exception {
        List<String> tables = List.of("customer", "sale", "payment");
        try (Connection c = dataSource.getConnection()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (String t : tables) {
                try (OutputStream out = Files.newOutputStream(dir.resolve(t + ".copy"))) {
                    copy.copyOut("COPY staging." + t + " TO STDOUT", out);
                }
                try (var st = c.createStatement()) {
                    st.execute("CREATE TABLE staging.copy_" + t + " (LIKE staging." + t + " INCLUDING ALL)");
                }
            }
            long started = System.nanoTime();
            for (String t : tables) {
                try (InputStream in = Files.newInputStream(dir.resolve(t + ".copy"))) {
                    copy.copyIn("COPY staging.copy_" + t + " FROM STDIN", in);
                }
            }
            return (System.nanoTime() - started) / 1e9;
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeapBytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed())
                .sum();
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans it
        }
    }
}
