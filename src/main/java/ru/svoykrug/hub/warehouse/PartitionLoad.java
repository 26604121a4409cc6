package ru.svoykrug.hub.warehouse;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * One night's partition of one ClickHouse table, replaced whole: the rows of a PostgreSQL query (its
 * columns in the table's order) are streamed out of PostgreSQL with a cursor, written as TabSeparated in
 * requests of about {@code chunkBytes} into the twin table {@code <table>_load} (its partition of the
 * night emptied first), and then swapped in with {@code REPLACE PARTITION}: readers see the night's old
 * rows or its new ones, never half of them, and an export cut off anywhere leaves at most a stale
 * {@code _load} partition, which the next export empties.
 */
final class PartitionLoad {

    private static final int FETCH_ROWS = 10_000;

    private final Warehouse warehouse;
    private final JdbcTemplate cursor;
    private final int chunkBytes;

    PartitionLoad(Warehouse warehouse, DataSource postgres, int chunkBytes) {
        this.warehouse = warehouse;
        this.cursor = new JdbcTemplate(postgres);
        this.cursor.setFetchSize(FETCH_ROWS);
        this.chunkBytes = chunkBytes;
    }

    /** Replaces the night's partition of the table with the query's rows; returns how many. */
    long replace(String table, LocalDate businessDate, String query, Object... parameters) {
        String partition = businessDate.format(DateTimeFormatter.BASIC_ISO_DATE);
        String load = table + "_load";
        warehouse.execute("ALTER TABLE " + load + " DROP PARTITION " + partition);
        Chunks chunks = new Chunks(load);
        try {
            cursor.query(query, chunks, parameters);
            chunks.flush();
        } finally {
            // (also when reading failed: no insert of this export may land after the next one emptied _load)
            chunks.finish();
        }
        warehouse.execute("ALTER TABLE " + table + " REPLACE PARTITION " + partition + " FROM " + load);
        warehouse.execute("ALTER TABLE " + load + " DROP PARTITION " + partition);
        return chunks.rows;
    }

    /** Rows as TabSeparated: NULL as \N; backslash, tab and line breaks escaped. */
    private final class Chunks implements RowCallbackHandler {

        private final String table;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);
        private final StringBuilder line = new StringBuilder(256);
        private long rows;
        private Warehouse.Pending pending;

        Chunks(String table) {
            this.table = table;
        }

        @Override
        public void processRow(ResultSet rs) throws SQLException {
            int columns = rs.getMetaData().getColumnCount();
            line.setLength(0);
            for (int i = 1; i <= columns; i++) {
                if (i > 1) {
                    line.append('\t');
                }
                String value = rs.getString(i);
                if (value == null) {
                    line.append("\\N");
                } else {
                    escape(value, line);
                }
            }
            line.append('\n');
            buffer.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
            rows++;
            if (buffer.size() >= chunkBytes) {
                flush();
            }
        }

        /** Sends what is buffered while the next rows are read; one request at a time is under way. */
        void flush() {
            if (buffer.size() > 0) {
                finish();
                pending = warehouse.startInsert(table, buffer.toByteArray());
                buffer.reset();
            }
        }

        void finish() {
            if (pending != null) {
                Warehouse.Pending sent = pending;
                pending = null;
                sent.await();
            }
        }
    }

    static void escape(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
