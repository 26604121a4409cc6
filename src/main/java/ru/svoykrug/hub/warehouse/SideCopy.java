package ru.svoykrug.hub.warehouse;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A COPY of rows that earlier steps committed (the ledger's entries of the night), sent into a table on a
 * PostgreSQL connection and a thread of its own while the step's connection does something else (records
 * the night's purchase events): a PostgreSQL backend is one process, so this puts the second core to work.
 * Its connection has its own {@code export_excluded}, listed by the same {@link ConsentGate}; its
 * transaction only reads, and is rolled back. Whoever starts one awaits it before leaving, failed or not:
 * no insert of an export may land after the next export emptied the {@code _load} partition.
 */
final class SideCopy {

    private final CompletableFuture<Long> rows;

    private SideCopy(CompletableFuture<Long> rows) {
        this.rows = rows;
    }

    static SideCopy start(DataSource postgres, Warehouse warehouse, int chunkBytes, ConsentGate consent, String table, String query) {
        CompletableFuture<Long> rows = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                rows.complete(copy(postgres, warehouse, chunkBytes, consent, table, query));
            } catch (Throwable e) {
                rows.completeExceptionally(e);
            }
        }, "warehouse-side-copy");
        thread.setDaemon(true);
        thread.start();
        return new SideCopy(rows);
    }

    private static long copy(DataSource postgres, Warehouse warehouse, int chunkBytes, ConsentGate consent, String table,
                             String query) throws SQLException {
        try (Connection connection = postgres.getConnection()) {
            connection.setAutoCommit(false);
            try {
                SingleConnectionDataSource own = new SingleConnectionDataSource(connection, true);
                JdbcTemplate jdbc = new JdbcTemplate(own);
                jdbc.execute("CREATE TEMP TABLE export_excluded (customer_id bigint PRIMARY KEY) ON COMMIT DROP");
                consent.listExcluded(jdbc);
                jdbc.execute("ANALYZE export_excluded");
                return new PartitionLoad(warehouse, own, chunkBytes).append(table, query);
            } finally {
                connection.rollback();
            }
        }
    }

    /** Waits for the copy; the rows it sent, or its failure. */
    long rows() {
        try {
            return rows.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Warehouse.WarehouseException("Interrupted while the side copy ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new Warehouse.WarehouseException("The side copy failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Waits for the copy to end, however it ends (after a failure elsewhere). */
    void awaitEnd() {
        try {
            rows.handle((r, e) -> null).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // handled above: cannot happen
        }
    }
}
