package ru.svoykrug.hub.sync;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.ExchangeBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.connections.UnknownConnectionException;
import ru.svoykrug.hub.sync.http.PausedByVendorException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Runs one sync of one connection: its streams in order, each through its Camel route, and records the
 * run in {@code ops.sync_run}.
 *
 * <p>Only one run of a connection happens at a time on the whole cluster: the run holds a PostgreSQL
 * advisory lock for its duration. The lock dies with the database session of a hub that dies, so a
 * RUNNING row nobody holds the lock for is known to be abandoned.
 *
 * <p>A run whose streams have not finished within {@code hub.sync.run-timeout-seconds} (a connection's
 * {@code runTimeoutSeconds} setting overrides it) is stopped: its stream threads are interrupted, it ends
 * FAILED ({@code RunTimedOut}) and gives back its lock, its Quartz thread and its database connection, so
 * a vendor that hangs cannot keep the connection, or the hub's threads, for ever.
 */
@Service
@EnableConfigurationProperties(SyncProperties.class)
public class SyncRunner {

    private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);
    /** Prefix of a backfill's cursor beside a stream's own in {@code ops.sync_cursor}. */
    public static final String BACKFILL_CURSOR = "backfill:";

    private final ConnectionRepository connections;
    private final Connectors connectors;
    private final SyncCursors cursors;
    private final SyncRuns runs;
    private final ConnectorRoutes routes;
    private final ProducerTemplate camel;
    private final DataSource dataSource;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final int streamParallelism;
    private final Duration runTimeout;

    public SyncRunner(ConnectionRepository connections, Connectors connectors, SyncCursors cursors, SyncRuns runs,
                      ConnectorRoutes routes, ProducerTemplate camel, DataSource dataSource, ApplicationEventPublisher events,
                      Clock clock, SyncProperties properties) {
        this.streamParallelism = properties.streamParallelism();
        this.runTimeout = properties.runTimeout();
        this.routes = routes;
        this.connections = connections;
        this.connectors = connectors;
        this.cursors = cursors;
        this.runs = runs;
        this.camel = camel;
        this.dataSource = dataSource;
        this.events = events;
        this.clock = clock;
    }

    /** Runs a sync now, in this thread, and returns the finished run. */
    public SyncRun run(String connectionId, String trigger) {
        return run(connectionId, trigger, null);
    }

    /**
     * Reads the connection's history again from {@code from}, each stream on a cursor of its own
     * ({@code backfill:<stream>}, started afresh), so the live cursors stay where they are. Rows are upserted
     * as by any run: a record already staged in a newer version is not set back. Same lock as a sync.
     */
    public SyncRun backfill(String connectionId, java.time.Instant from) {
        return run(connectionId, "backfill from " + from, from);
    }

    private SyncRun run(String connectionId, String trigger, java.time.Instant backfillFrom) {
        PartnerConnection connection = connections.find(connectionId)
                .orElseThrow(() -> new UnknownConnectionException(connectionId));
        if (connection.status() != ConnectionStatus.ACTIVE) {
            throw new ConnectionNotActiveException(connection);
        }
        try (Connection lock = dataSource.getConnection()) {
            if (!advisoryLock(lock, "pg_try_advisory_lock", connectionId)) {
                throw new SyncAlreadyRunningException(connectionId);
            }
            try {
                int abandoned = runs.abandonStale(connectionId);
                if (abandoned > 0) {
                    log.warn("Connection {}: {} run(s) left RUNNING by a hub that stopped are marked FAILED", connectionId, abandoned);
                }
                long runId = runs.start(connectionId, trigger);
                Outcome outcome = runStreams(backfillFrom == null ? connection : from(connection, backfillFrom), runId,
                        backfillFrom != null);
                runs.finish(runId, outcome.status(), outcome.errorClass(), outcome.message());
                SyncRun run = runs.find(runId).orElseThrow();
                log.info("Connection {} run {} ended {}: {} pages, {} read, {} written, {} rejected", connectionId, runId,
                        run.status(), run.pages(), run.recordsRead(), run.recordsWritten(), run.recordsRejected());
                events.publishEvent(new SyncCompleted(connectionId, runId, run.status()));
                return run;
            } finally {
                advisoryLock(lock, "pg_advisory_unlock", connectionId);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot take the sync lock of " + connectionId + ": " + e.getMessage(), e);
        }
    }

    /** The connection as a first sync from {@code from} sees it: every reader starts an empty cursor at historyFrom. */
    private static PartnerConnection from(PartnerConnection c, java.time.Instant from) {
        Map<String, String> settings = new java.util.HashMap<>(c.settings());
        settings.put(ru.svoykrug.hub.connections.HistoryFrom.SETTING, from.toString());
        return new PartnerConnection(c.id(), c.partner(), c.system(), c.zone(), c.medical(), c.schedule(), Map.copyOf(settings),
                c.status(), c.statusMessage());
    }

    private Outcome runStreams(PartnerConnection connection, long runId, boolean backfill) {
        Connector connector = connectors.get(connection.system());
        Map<String, String> credentials;
        try {
            credentials = connections.credentials(connection.id());
        } catch (RuntimeException e) {
            return new Outcome(SyncRunStatus.FAILED, e.getClass().getSimpleName(), e.getMessage());
        }
        // Streams are independent (each has its own cursor) and share the connection's rate limiter,
        // so they run side by side: the vendor's limit holds, and a run is not one long chain of round trips.
        StreamDescriptor descriptor = connectors.descriptor(connection.system());
        List<String> streams = descriptor.streamNames();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(streams.size(), Math.max(1, streamParallelism)),
                r -> new Thread(r, "sync-" + connection.id()));
        List<Future<Throwable>> results = new ArrayList<>();
        List<Exchange> exchanges = new ArrayList<>();
        try {
            for (String stream : streams) {
                String cursorKey = backfill ? BACKFILL_CURSOR + stream : stream;
                StreamSync sync = new StreamSync(runId, connection, credentials, stream,
                        backfill ? cursors.restart(connection.id(), cursorKey) : cursors.load(connection.id(), stream),
                        clock.instant(), descriptor, routes.apiRoot(connection.id()));
                sync.cursorKey(cursorKey);
                sync.readBy(connector.reader(sync));
                Exchange exchange = ExchangeBuilder.anExchange(camel.getCamelContext()).withProperty(StreamSync.PROPERTY, sync).build();
                exchanges.add(exchange);
                results.add(pool.submit(() -> camel.send("direct:sync-" + connection.id() + "-" + stream, exchange).getException()));
            }
        } finally {
            pool.shutdown();
        }
        long deadline = System.nanoTime() + timeout(connection).toNanos(); // elapsed time, whatever the hub's clock says
        List<String> unfinished = new ArrayList<>();
        Outcome failed = null;
        for (int i = 0; i < streams.size(); i++) {
            String stream = streams.get(i);
            Throwable error;
            try {
                error = outcome(results.get(i), deadline);
            } catch (TimeoutException e) {
                unfinished.add(stream);
                continue;
            }
            if (error == null) {
                continue;
            }
            if (error instanceof PausedByVendorException paused) {
                log.warn("Connection {} stream {} paused by the vendor: {}", connection.id(), stream, paused.getMessage());
                if (failed == null) {
                    failed = new Outcome(SyncRunStatus.PARTIAL, "PausedByVendor", stream + ": " + paused.getMessage());
                }
                continue;
            }
            String rejection = RunErrors.credentialsRejection(error, connection.medical());
            if (rejection != null) {
                String message = stream + ": " + rejection;
                connections.updateStatus(connection.id(), ConnectionStatus.CREDENTIALS_REJECTED,
                        "The partner system refused the credentials (" + message + "); update them to resume syncing");
                log.warn("Connection {} stopped: credentials rejected ({})", connection.id(), message);
                failed = new Outcome(SyncRunStatus.CREDENTIALS_REJECTED, "CredentialsRejected", message);
                continue;
            }
            if (error instanceof MappingBrokenException broken) {
                log.warn("Connection {} stream {}: {}", connection.id(), stream, broken.getMessage());
                if (failed == null || failed.status() == SyncRunStatus.PARTIAL) {
                    failed = new Outcome(SyncRunStatus.FAILED, MappingBrokenException.ERROR_CLASS, stream + ": " + broken.getMessage());
                }
                continue;
            }
            log.warn("Connection {} stream {} failed: {}", connection.id(), stream, RunErrors.describe(error, connection.medical()));
            if (failed == null || failed.status() == SyncRunStatus.PARTIAL) {
                failed = new Outcome(SyncRunStatus.FAILED, error.getClass().getSimpleName(),
                        stream + ": " + RunErrors.describe(error, connection.medical()));
            }
        }
        if (!unfinished.isEmpty()) {
            stop(pool, results, exchanges);
            String message = "The run was stopped after " + timeout(connection).toSeconds() + " s (hub.sync.run-timeout-seconds): "
                    + String.join(", ", unfinished) + " had not finished; the next run resumes from the last committed page";
            log.warn("Connection {}: {}", connection.id(), message);
            if (failed == null || failed.status() != SyncRunStatus.CREDENTIALS_REJECTED) {
                failed = new Outcome(SyncRunStatus.FAILED, "RunTimedOut", message);
            }
        }
        if (failed != null) {
            return failed;
        }
        long rejected = runs.find(runId).map(SyncRun::recordsRejected).orElse(0L);
        return rejected > 0
                ? new Outcome(SyncRunStatus.PARTIAL, null, rejected + " record(s) could not be mapped; see the dead letters")
                : new Outcome(SyncRunStatus.SUCCEEDED, null, null);
    }

    private Duration timeout(PartnerConnection connection) {
        String own = connection.setting("runTimeoutSeconds", null);
        return own == null ? runTimeout : Duration.ofSeconds(Long.parseLong(own));
    }

    /**
     * Interrupts the streams still running (a rate limiter's wait, a vendor's Retry-After and a
     * redelivery's back-off end at once; a read in progress ends at the HTTP client's response timeout)
     * and gives them a moment to roll their page back before the lock is let go.
     */
    private static void stop(ExecutorService pool, List<Future<Throwable>> results, List<Exchange> exchanges) {
        // a failed exchange goes no further in its route: no next page is asked for or written
        exchanges.forEach(e -> {
            e.setException(new RunTimedOutException());
            e.setRouteStop(true);
        });
        results.forEach(r -> r.cancel(true));
        pool.shutdownNow();
        try {
            pool.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private static Throwable outcome(Future<Throwable> result, long deadlineNanos) throws TimeoutException {
        try {
            return result.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static boolean advisoryLock(Connection connection, String function, String connectionId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + function + "(hashtext('hub-sync:' || ?))")) {
            ps.setString(1, connectionId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Set on the exchanges of a run stopped for taking too long. */
    static final class RunTimedOutException extends RuntimeException {
        RunTimedOutException() {
            super("the sync run took longer than its time limit", null, false, false);
        }
    }

    private record Outcome(SyncRunStatus status, String errorClass, String message) {
    }

    /** Published when a run ends, whatever its status; the analytics listen instead of being called. */
    public record SyncCompleted(String connectionId, long runId, SyncRunStatus status) {
    }
}
