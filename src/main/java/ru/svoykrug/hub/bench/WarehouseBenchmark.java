package ru.svoykrug.hub.bench;

import org.springframework.batch.core.step.StepExecution;
import ru.svoykrug.hub.warehouse.AnalyticsQueries;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The warehouse part of {@code bench nightly}, when it has a ClickHouse server ({@code --clickhouse-url}
 * or {@code HUB_CLICKHOUSE_URL}; best a fresh one, since the queries read every night it holds): the
 * export step's rows a second, and the p95 of each ops analytics query over what was exported.
 */
final class WarehouseBenchmark {

    private static final int WARM_UP = 2;
    private static final int RUNS = 20;

    private WarehouseBenchmark() {
    }

    /** Prints the export step's rows and rows a second (its write count is the rows it sent). */
    static void export(String night, StepExecution step) {
        double seconds = Duration.between(step.getStartTime(), step.getEndTime()).toMillis() / 1000.0;
        long rows = step.getWriteCount();
        System.out.printf("export.%s.rows: %d rows%n", night, rows);
        System.out.printf("export.%s.rows_per_s: %.0f rows/s%n", night, seconds == 0 ? 0 : rows / seconds);
    }

    /** Runs each analytics query {@value #RUNS} times (after {@value #WARM_UP}) and prints its p95. */
    static void queries(AnalyticsQueries analytics, LocalDate firstNight, LocalDate lastNight) {
        LocalDate from = firstNight.minusYears(2);
        Map<String, Supplier<?>> queries = new LinkedHashMap<>();
        queries.put("segments", () -> analytics.segmentSizes("circle", firstNight, lastNight));
        queries.put("segment_movements", () -> analytics.movements("circle", lastNight));
        queries.put("churn_risk", () -> analytics.churnRisk(firstNight, lastNight));
        queries.put("partner_days", () -> analytics.partnerDays(from, lastNight, null, java.util.Set.of()));
        queries.put("cohorts", analytics::cohorts);
        queries.forEach((name, query) -> {
            for (int i = 0; i < WARM_UP; i++) {
                query.get();
            }
            long[] millis = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long started = System.nanoTime();
                query.get();
                millis[i] = (System.nanoTime() - started) / 1_000_000;
            }
            Arrays.sort(millis);
            System.out.printf("analytics.%s.p95_ms: %d ms%n", name, millis[(int) Math.ceil(0.95 * RUNS) - 1]);
        });
    }
}
