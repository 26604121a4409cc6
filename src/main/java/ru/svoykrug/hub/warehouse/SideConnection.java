package ru.svoykrug.hub.warehouse;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToLongFunction;

/**
 * A second PostgreSQL connection for the export, with a thread of its own: it copies rows that earlier
 * steps committed (the ledger's entries of the night, RFM, churn scores) into ClickHouse while the step's
 * connection records and sends the night's purchase events. A PostgreSQL backend is one process: this puts
 * the second core to work. Its transaction has its own {@code export_excluded}, a copy of the step's (the same
 * customers left out on both), and its own statistics of the tables the night rewrote. Work runs in the order it is
 * submitted. {@link #close()} waits for all of it, failed or not, before the export goes on or fails: no
 * insert of an export may land after the next export emptied a {@code _load} partition.
 */
final class SideConnection implements AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(work -> {
        Thread t = new Thread(work, "warehouse-side-connection");
        t.setDaemon(true);
        return t;
    });
    private final List<CompletableFuture<?>> submitted = new ArrayList<>();
    private final CompletableFuture<Opened> opened;

    private record Opened(Connection connection, PartitionLoad load) {
    }

    SideConnection(DataSource postgres, Warehouse warehouse, int chunkBytes, Long[] excluded) {
        opened = CompletableFuture.supplyAsync(() -> open(postgres, warehouse, chunkBytes, excluded), thread);
        submitted.add(opened);
    }

    private static Opened open(DataSource postgres, Warehouse warehouse, int chunkBytes, Long[] excluded) {
        try {
            Connection connection = postgres.getConnection();
            try {
                connection.setAutoCommit(false);
                SingleConnectionDataSource own = new SingleConnectionDataSource(connection, true);
                JdbcTemplate jdbc = new JdbcTemplate(own);
                ExcludedCustomers.copy(jdbc, excluded);
                // tonight's steps have just rewritten these: statistics that do not know tonight's date yet made the
                // planner expect one row and scan core.rfm once per churn score (minutes at 100,000 customers)
                jdbc.execute("ANALYZE export_excluded, core.rfm, core.churn_score");
                return new Opened(connection, new PartitionLoad(warehouse, own, chunkBytes));
            } catch (RuntimeException | SQLException e) {
                connection.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new Warehouse.WarehouseException("Cannot open the export's second connection to PostgreSQL", e);
        }
    }

    /** Runs the work on this connection after what was submitted before; its rows, when {@link #rows} asks. */
    CompletableFuture<Long> submit(ToLongFunction<PartitionLoad> work) {
        // after the work submitted last, whatever its end: work chained on the opening alone would run last
        // submitted first (a future's dependents run in reverse), and the export waits for the first one
        CompletableFuture<?> last = submitted.get(submitted.size() - 1);
        CompletableFuture<Long> rows = last.handle((r, e) -> null).thenApplyAsync(ignored -> work.applyAsLong(opened.join().load()), thread);
        submitted.add(rows);
        return rows;
    }

    /** Waits for the work's rows, or throws its failure. */
    static long rows(CompletableFuture<Long> work) {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Warehouse.WarehouseException("Interrupted while the export's second connection worked", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException failure) {
                throw failure;
            }
            throw new Warehouse.WarehouseException("The export's second connection failed: " + cause.getMessage(), cause);
        }
    }

    /** Waits for all submitted work, then commits (the statistics) or rolls back and gives the connection back. */
    @Override
    public void close() {
        if (thread.isShutdown()) {
            return;
        }
        boolean failed = false;
        for (CompletableFuture<?> work : submitted) {
            try {
                work.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed = true;
            } catch (ExecutionException e) {
                failed = true;
            }
        }
        boolean commit = !failed;
        try {
            CompletableFuture.runAsync(() -> end(commit), thread).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // nothing of the export depends on this transaction's end; the pool drops a broken connection
        } finally {
            thread.shutdown();
        }
    }

    private void end(boolean commit) {
        if (opened.isCompletedExceptionally()) {
            return;
        }
        Opened o = opened.join();
        try (Connection connection = o.connection()) {
            if (commit) {
                connection.commit();
            } else {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new Warehouse.WarehouseException("Cannot end the export's second connection", e);
        }
    }
}
