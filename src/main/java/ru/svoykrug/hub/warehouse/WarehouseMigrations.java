package ru.svoykrug.hub.warehouse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The warehouse's schema, versioned: {@code warehouse/V<n>__<what>.sql} of the jar, applied in order and
 * recorded in the server's table {@code warehouse_migrations}. Flyway cannot manage ClickHouse (its driver
 * answers no metadata), and the schema is a few statements, so this is the whole of it. Every statement is
 * idempotent ({@code IF NOT EXISTS}): a migration cut off halfway, or applied by two hub nodes at once, is
 * simply applied again. Tried at start; a server not reachable then is tried again by the night's export,
 * which fails its step if it still cannot.
 */
@Component
class WarehouseMigrations {

    private static final Logger log = LoggerFactory.getLogger(WarehouseMigrations.class);
    private static final Pattern FILE = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

    private final Warehouse warehouse;
    private final NightAggregates aggregates;
    private final SegmentAggregates segments;
    private final RiskAggregates risks;
    private volatile boolean applied;

    WarehouseMigrations(Warehouse warehouse, NightAggregates aggregates, SegmentAggregates segments, RiskAggregates risks) {
        this.warehouse = warehouse;
        this.aggregates = aggregates;
        this.segments = segments;
        this.risks = risks;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        if (!warehouse.configured()) {
            log.info("No warehouse (HUB_CLICKHOUSE_URL unset): nights are not exported");
            return;
        }
        try {
            ensure();
        } catch (RuntimeException e) {
            log.warn("Warehouse schema not applied at start ({}); the night's export tries again", e.getMessage());
        }
    }

    /** Applies what is missing, and derives the aggregates of nights that have none (once per hub run). */
    synchronized void ensure() {
        if (applied) {
            return;
        }
        warehouse.execute("""
                CREATE TABLE IF NOT EXISTS warehouse_migrations (
                    version UInt32, description String, applied_at DateTime('UTC')
                ) ENGINE = MergeTree() ORDER BY version""");
        Set<Long> done = new HashSet<>();
        for (JsonNode row : warehouse.query("SELECT DISTINCT version FROM warehouse_migrations")) {
            done.add(row.path("version").asLong());
        }
        for (Migration migration : migrations()) {
            if (done.contains(migration.version())) {
                continue;
            }
            for (String statement : migration.statements()) {
                warehouse.execute(statement);
            }
            warehouse.execute("INSERT INTO warehouse_migrations (version, description, applied_at) VALUES ("
                    + migration.version() + ", '" + migration.description() + "', now())");
            log.info("Warehouse schema: applied V{} {}", migration.version(), migration.description());
        }
        // nights exported before the aggregates existed (V2, V3, V4), or whose aggregates a crash cut off
        aggregates.deriveMissing();
        segments.deriveMissing();
        risks.deriveMissing();
        applied = true;
    }

    static List<Migration> migrations() {
        try {
            List<Migration> found = new ArrayList<>();
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath:warehouse/V*.sql")) {
                Matcher name = FILE.matcher(resource.getFilename() == null ? "" : resource.getFilename());
                if (name.matches()) {
                    found.add(new Migration(Long.parseLong(name.group(1)), name.group(2),
                            statements(resource.getContentAsString(StandardCharsets.UTF_8))));
                }
            }
            found.sort(Comparator.comparingLong(Migration::version));
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the warehouse's migrations", e);
        }
    }

    /** The file's statements: '--' comments dropped, split at ';' (the schema quotes no semicolon). */
    static List<String> statements(String script) {
        StringBuilder text = new StringBuilder();
        script.lines().forEach(line -> {
            int comment = line.indexOf("--");
            text.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
        });
        List<String> statements = new ArrayList<>();
        for (String statement : text.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return statements;
    }

    record Migration(long version, String description, List<String> statements) {
    }
}
