package ru.svoykrug.hub.staging;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one shape of a staging upsert: rows of a page, sent as one array per column through
 * {@code unnest}, inserted by (connection, source id), or updated when the source's change marker is
 * newer, or equal with something that differs. The statement is built once per table.
 *
 * @param <T> the staged row
 */
final class StagingUpsert<T> {

    /**
     * A column of the table: its name, the SQL array type it travels as, the row's value, and whether a
     * difference in it is a change (a sealed value differs on every sealing: its fingerprint tells).
     */
    record Column<T>(String name, String arrayType, String cast, Function<T, Object> value, boolean compared) {
        Column(String name, String arrayType, String cast, Function<T, Object> value) {
            this(name, arrayType, cast, value, true);
        }
    }

    static <T> Column<T> text(String name, Function<T, String> value) {
        return new Column<>(name, "text", "text", value::apply);
    }

    /** Sealed bytes: written with the row, never compared. */
    static <T> Column<T> sealed(String name, Function<T, byte[]> value) {
        return new Column<>(name, "bytea", "bytea", value::apply, false);
    }

    static <T> Column<T> bool(String name, Function<T, Boolean> value) {
        return new Column<>(name, "bool", "boolean", value::apply);
    }

    static <T> Column<T> kopecks(String name, Function<T, Long> value) {
        return new Column<>(name, "int8", "bigint", value::apply);
    }

    static <T> Column<T> instant(String name, Function<T, Instant> value) {
        return new Column<>(name, "text", "timestamptz", r -> value.apply(r).toString());
    }

    private final List<Column<T>> columns;
    private final boolean zoned;
    private final String sql;

    /**
     * @param zoned     whether the table keeps the connection's zone beside its instants
     * @param data      the columns between the source id and the change marker, compared to tell a change
     */
    StagingUpsert(String table, boolean zoned, Function<T, String> sourceId, Function<T, Instant> changedAt,
                  List<Column<T>> data) {
        this.zoned = zoned;
        this.columns = new java.util.ArrayList<>();
        columns.add(text("source_id", sourceId));
        columns.addAll(data);
        columns.add(instant("source_changed_at", changedAt));
        String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
        String casts = columns.stream().map(c -> "?::" + c.cast() + "[]").collect(Collectors.joining(", "));
        String set = data.stream().map(c -> c.name() + " = EXCLUDED." + c.name()).collect(Collectors.joining(", "));
        String compared = data.stream().filter(Column::compared).map(Column::name).collect(Collectors.joining(", "));
        this.sql = "INSERT INTO " + table + " AS t (connection_id, " + (zoned ? "zone, " : "") + names + ")\n"
                + "SELECT ?, " + (zoned ? "?, " : "") + "s.* FROM unnest(" + casts + ") AS s(" + names + ")\n"
                + "ON CONFLICT (connection_id, source_id) DO UPDATE\n"
                + "   SET " + set + ", source_changed_at = EXCLUDED.source_changed_at"
                + (zoned ? ", zone = EXCLUDED.zone" : "") + ", erased_at = NULL, updated_at = now()\n"
                + " WHERE t.source_changed_at < EXCLUDED.source_changed_at\n"
                // an erased person's record comes back only changed by the partner after the erasure
                + "    OR (t.source_changed_at = EXCLUDED.source_changed_at AND t.erased_at IS NULL\n"
                + "        AND (" + prefixed("t.", compared) + ") IS DISTINCT FROM (" + prefixed("EXCLUDED.", compared) + "))";
    }

    long execute(Connection con, String connectionId, String zone, Collection<T> rows) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, connectionId);
            if (zoned) {
                ps.setString(i++, zone);
            }
            for (Column<T> column : columns) {
                ps.setArray(i++, array(con, column, rows));
            }
            return ps.executeUpdate();
        }
    }

    private static <T> Array array(Connection con, Column<T> column, Collection<T> rows) throws SQLException {
        // (the driver takes bytea arrays only as byte[][], not as an Object[] of byte[])
        Object[] values = column.arrayType().equals("bytea") ? new byte[rows.size()][] : new Object[rows.size()];
        int i = 0;
        for (T row : rows) {
            values[i++] = column.value().apply(row);
        }
        return con.createArrayOf(column.arrayType(), values);
    }

    private static String prefixed(String prefix, String names) {
        return java.util.Arrays.stream(names.split(", ")).map(n -> prefix + n).collect(Collectors.joining(", "));
    }

    String sql() {
        return sql;
    }
}
