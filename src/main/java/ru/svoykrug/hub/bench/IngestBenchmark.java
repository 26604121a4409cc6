package ru.svoykrug.hub.bench;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubApplication;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunner;

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
 * Syncs a generated account of {@code --records} records of the simulator of {@code --system} (YCLIENTS
 * by default: appointments, plus a client per five and a transaction per two) into staging on a fresh
 * embedded PostgreSQL, then loads the same rows with {@code COPY} as the physical reference. The
 * simulator's rate limit is lifted: at the vendor's pace the benchmark would measure the vendor, not the hub.
 */
final class IngestBenchmark {

    private final int records;
    private final long seed;
    private final int pageSize;
    private final String system;
    private final int windowDays;

    IngestBenchmark(Map<String, String> options) {
        this.records = Integer.parseInt(options.getOrDefault("records", "100000"));
        this.seed = Long.parseLong(options.getOrDefault("seed", "7"));
        this.pageSize = Integer.parseInt(options.getOrDefault("page-size", "200"));
        this.system = options.getOrDefault("system", "yclients");
        this.windowDays = Integer.parseInt(options.getOrDefault("window-days", "2"));
    }

    int run() throws Exception {
        Path dataDir = Files.createTempDirectory("hub-bench-");
        try (BenchSource source = BenchSource.start(system, seed, records, pageSize, windowDays)) {
            try (ConfigurableApplicationContext hub = new SpringApplicationBuilder(HubApplication.class)
                    .web(WebApplicationType.NONE)
                    .run("--spring.config.location=classpath:/application.yml",
                            "--hub.data-dir=" + dataDir,
                            "--spring.quartz.auto-startup=false",
                            "--logging.level.root=WARN")) {
                String connectionId = "bench-" + system;
                hub.getBean(ConnectionService.class).ensure(source.connection(connectionId));
                System.gc();
                resetPeaks();
                long started = System.nanoTime();
                SyncRun run = hub.getBean(SyncRunner.class).run(connectionId, "bench");
                double seconds = (System.nanoTime() - started) / 1e9;
                long peakHeap = peakHeapBytes();
                if (run.status().name().equals("FAILED")) {
                    System.err.println("the sync failed: " + run.errorMessage());
                    return 1;
                }
                JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
                long staged = jdbc.queryForObject("SELECT (SELECT count(*) FROM staging.sale) + (SELECT count(*) FROM staging.customer)"
                        + " + (SELECT count(*) FROM staging.payment)", Long.class);
                System.out.println("ingest.note: simulator rate limit lifted (vendors allow a few calls a second)");
                System.out.printf("ingest.system: %s%n", system);
                System.out.printf("ingest.source: %d %s%n", records, source.unit());
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
