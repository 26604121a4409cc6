package ru.svoykrug.hub.warehouse;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/**
 * One night's partition of one ClickHouse table, replaced whole: the rows of a PostgreSQL query (its
 * columns in the table's order) leave PostgreSQL by {@code COPY (query) TO STDOUT}, whose text format is
 * ClickHouse's TabSeparated for the values the export sends (tab between columns, {@code \N} for NULL,
 * backslash escapes, ISO dates), and go as they are, in requests of about {@code chunkBytes}, into the twin
 * table {@code <table>_load} (its partition of the night emptied first); then the partition is swapped in
 * with {@code REPLACE PARTITION}: readers see the night's old rows or its new ones, never half of them, and
 * an export cut off anywhere leaves at most a stale {@code _load} partition, which the next export empties.
 * No value is parsed or formatted in Java (a cursor read through JDBC spent most of the export there), and
 * one request is under way while the next is read: PostgreSQL and ClickHouse work at the same time.
 * The copy runs on the step's connection, so it sees the step's temporary tables.
 */
final class PartitionLoad {

    private final Warehouse warehouse;
    private final DataSource postgres;
    private final int chunkBytes;

    PartitionLoad(Warehouse warehouse, DataSource postgres, int chunkBytes) {
        this.warehouse = warehouse;
        this.postgres = postgres;
        this.chunkBytes = chunkBytes;
    }

    /** Replaces the night's partition of the table with the query's rows; returns how many. */
    long replace(String table, LocalDate businessDate, String query) {
        long[] rows = new long[1];
        replace(warehouse, table, businessDate, load -> rows[0] = copy(query, load));
        return rows[0];
    }

    /**
     * Replaces the night's partition of the table with what {@code fill} puts into the same partition of
     * {@code <table>_load} (named to it), emptied before and after.
     */
    static void replace(Warehouse warehouse, String table, LocalDate businessDate, Consumer<String> fill) {
        String partition = partition(businessDate);
        String load = table + "_load";
        warehouse.execute("ALTER TABLE " + load + " DROP PARTITION " + partition);
        fill.accept(load);
        warehouse.execute("ALTER TABLE " + table + " REPLACE PARTITION " + partition + " FROM " + load);
        warehouse.execute("ALTER TABLE " + load + " DROP PARTITION " + partition);
    }

    /** The partition of a business date in every warehouse table ({@code toYYYYMMDD}, a number). */
    static String partition(LocalDate businessDate) {
        return businessDate.format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    /** A date as an SQL literal, PostgreSQL's and ClickHouse's alike (COPY takes no parameters). */
    static String literal(LocalDate date) {
        return "'" + date + "'";
    }

    private long copy(String query, String table) {
        Connection connection = DataSourceUtils.getConnection(postgres);
        Chunks chunks = new Chunks(table);
        CopyOut copy = null;
        try {
            copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + query + ") TO STDOUT");
            for (byte[] row = copy.readFromCopy(); row != null; row = copy.readFromCopy()) {
                chunks.add(row);
            }
            chunks.flush();
            return chunks.rows;
        } catch (SQLException e) {
            throw new Warehouse.WarehouseException("Cannot read the night's rows for " + table + " from PostgreSQL", e);
        } finally {
            // (also when reading failed: no insert of this export may land after the next one emptied _load)
            try {
                cancel(copy);
            } finally {
                try {
                    chunks.finish();
                } finally {
                    DataSourceUtils.releaseConnection(connection, postgres);
                }
            }
        }
    }

    /** A copy given up halfway (ClickHouse refused a chunk) must end, or the connection is unusable. */
    private static void cancel(CopyOut copy) {
        if (copy != null && copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException e) {
                // the step fails on the first error anyway, and its transaction is rolled back with the connection
            }
        }
    }

    /** Rows gathered into requests; one request at a time is under way while the next is gathered. */
    private final class Chunks {

        private final String table;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);
        private long rows;
        private Warehouse.Pending pending;

        Chunks(String table) {
            this.table = table;
        }

        void add(byte[] row) {
            buffer.writeBytes(row);
            rows++;
            if (buffer.size() >= chunkBytes) {
                flush();
            }
        }

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
}
