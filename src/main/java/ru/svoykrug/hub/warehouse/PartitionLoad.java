package ru.svoykrug.hub.warehouse;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/**
 * One night's partition of one ClickHouse table, replaced whole: the rows of a PostgreSQL query (its
 * columns in the table's order) leave PostgreSQL by {@code COPY (query) TO STDOUT}, whose text format is
 * ClickHouse's TabSeparated for the values the export sends (tab between columns, {@code \N} for NULL,
 * backslash escapes, ISO dates), and go as they are, streamed in requests of about {@code chunkBytes}, into the twin
 * table {@code <table>_load} (its partition of the night emptied first); then the partition is swapped in
 * with {@code REPLACE PARTITION}: readers see the night's old rows or its new ones, never half of them, and
 * an export cut off anywhere leaves at most a stale {@code _load} partition, which the next export empties.
 * No value is parsed or formatted in Java (a cursor read through JDBC spent most of the export there), and
 * each row goes into the request's body as COPY hands it over, so PostgreSQL produces rows while ClickHouse
 * parses the ones before (the client's inserts are synchronous: a request gathered whole and then sent made
 * the two take turns), and ClickHouse makes parts of a million rows (its insert block), not one per request.
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

    /** Adds the query's rows to the table (a {@code _load} table being filled); returns how many. */
    long append(String table, String query) {
        return copy(query, table);
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
        CopyOut copy = null;
        try {
            copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + query + ") TO STDOUT");
            Rows rows = new Rows(copy);
            while (rows.more()) {
                warehouse.insert(table, rows::writeRequest);
            }
            return rows.count;
        } catch (SQLException e) {
            throw new Warehouse.WarehouseException("Cannot read the night's rows for " + table + " from PostgreSQL", e);
        } finally {
            try {
                cancel(copy);
            } finally {
                DataSourceUtils.releaseConnection(connection, postgres);
            }
        }
    }

    /** A copy given up halfway (ClickHouse refused the rows) must end, or the connection is unusable. */
    private static void cancel(CopyOut copy) {
        if (copy != null && copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException e) {
                // the step fails on the first error anyway, and its transaction is rolled back with the connection
            }
        }
    }

    /** The copy's rows, written into requests of about {@code chunkBytes} each. */
    private final class Rows {

        private final CopyOut copy;
        private byte[] next;
        private long count;

        Rows(CopyOut copy) throws SQLException {
            this.copy = copy;
            this.next = copy.readFromCopy();
        }

        boolean more() {
            return next != null;
        }

        void writeRequest(OutputStream request) throws IOException {
            // COPY hands over a row at a time: gather them, not a write to the socket each
            OutputStream out = new BufferedOutputStream(request, 1 << 20);
            try {
                long written = 0;
                while (next != null && written < chunkBytes) {
                    out.write(next);
                    written += next.length;
                    count++;
                    next = copy.readFromCopy();
                }
            } catch (SQLException e) {
                throw new IOException("Cannot read the night's rows from PostgreSQL: " + e.getMessage(), e);
            }
            out.flush();
        }
    }
}
