package ru.svoykrug.hub.nightly;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A set-based step of the night as SQL: a file of {@code jobs/sql/} (packed into the jar), split into
 * statements and run in order with named parameters, inside the caller's transaction.
 */
final class NightlySql {

    private static final Logger log = LoggerFactory.getLogger(NightlySql.class);

    private final String name;
    private final List<String> statements;

    private NightlySql(String name, List<String> statements) {
        this.name = name;
        this.statements = statements;
    }

    static NightlySql load(String file) {
        Resource resource = new ClassPathResource("jobs/sql/" + file);
        try {
            String text = resource.getContentAsString(StandardCharsets.UTF_8);
            return new NightlySql(file, split(text));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read jobs/sql/" + file, e);
        }
    }

    /** Statements end with ';' outside quotes; '--' starts a comment to the end of the line. */
    static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (!quoted && c == '-' && i + 1 < script.length() && script.charAt(i + 1) == '-') {
                while (i < script.length() && script.charAt(i) != '\n') {
                    i++;
                }
                current.append('\n');
                continue;
            }
            if (c == '\'') {
                quoted = !quoted;
            }
            if (!quoted && c == ';') {
                if (!current.toString().isBlank()) {
                    statements.add(current.toString().trim());
                }
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().trim());
        }
        return List.copyOf(statements);
    }

    /** Runs every statement; returns the rows the statements changed, added up. */
    long run(NamedParameterJdbcTemplate jdbc, Map<String, ?> parameters) {
        long changed = 0;
        for (String statement : statements) {
            try {
                long started = System.nanoTime();
                int rows = 0;
                if (statement.regionMatches(true, 0, "SELECT", 0, 6)) {
                    // a SELECT calls a function for its effect (core.suspend_indexes_if_empty and the like)
                    jdbc.queryForList(statement, parameters);
                } else {
                    rows = jdbc.update(statement, parameters);
                }
                changed += Math.max(0, rows);
                if (log.isDebugEnabled()) {
                    log.debug("{}: {} rows in {} ms: {}", name, rows, (System.nanoTime() - started) / 1_000_000,
                            statement.lines().filter(l -> !l.isBlank()).findFirst().orElse(""));
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException("jobs/sql/" + name + " failed at: "
                        + statement.substring(0, Math.min(120, statement.length())) + " ...: " + e.getMessage(), e);
            }
        }
        return changed;
    }
}
