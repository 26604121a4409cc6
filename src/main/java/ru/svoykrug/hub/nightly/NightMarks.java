package ru.svoykrug.hub.nightly;

import org.springframework.jdbc.core.JdbcOperations;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the steps that read staging start reading (see the V5 migration), as parameters of the step's
 * statements: a constant lets PostgreSQL plan an index range scan for the few rows changed since last
 * night, where a subquery would leave it guessing and scanning every staged row.
 */
final class NightMarks {

    private NightMarks() {
    }

    /**
     * {@code read_from}: this step's mark (0 before its first night); {@code customers_mark}: the
     * customers step's; {@code purchases_mark}: the purchases step's; {@code snapshot_xmin}: the oldest transaction running now, this step's next mark.
     */
    static Map<String, Object> of(JdbcOperations jdbc, String step) {
        Map<String, Object> marks = new HashMap<>();
        marks.put("read_from", mark(jdbc, step));
        marks.put("customers_mark", mark(jdbc, "customers"));
        marks.put("purchases_mark", mark(jdbc, "purchases"));
        marks.put("snapshot_xmin", jdbc.queryForObject("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", String.class));
        return marks;
    }

    /** Whether the step has completed a night (it leaves its mark as its last statement). */
    static boolean hasRun(JdbcOperations jdbc, String step) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM core.night_mark WHERE step = ?)",
                Boolean.class, step));
    }

    private static String mark(JdbcOperations jdbc, String step) {
        List<String> found = jdbc.queryForList("SELECT read_from::text FROM core.night_mark WHERE step = ?", String.class, step);
        return found.isEmpty() ? "0" : found.get(0);
    }
}
