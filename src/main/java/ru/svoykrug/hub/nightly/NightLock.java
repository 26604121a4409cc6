package ru.svoykrug.hub.nightly;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One night at a time across every hub node on the database: a PostgreSQL session advisory lock, taken
 * by whoever starts a night and held, on a connection of its own, until the night's thread has ended
 * and Spring Batch has stored how it ended. A node that dies loses its session and with it the lock,
 * so a night it left "running" is known to be abandoned.
 */
@Component
class NightLock {

    private static final Logger log = LoggerFactory.getLogger(NightLock.class);
    private static final String KEY = "SELECT %s(hashtext('hub-night'))";

    private final DataSource dataSource;
    private final AtomicReference<Connection> held = new AtomicReference<>();

    NightLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Takes the lock if no night holds it; the caller then must {@link #handOver()} or {@link #release()}. */
    boolean tryClaim() {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            if (call(connection, "pg_try_advisory_lock")) {
                if (!held.compareAndSet(null, connection)) {
                    // (cannot be: the lock is not re-entrant across sessions, and this node released its last one)
                    call(connection, "pg_advisory_unlock");
                    connection.close();
                    return false;
                }
                return true;
            }
            connection.close();
            return false;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("Cannot ask the database whether a night is running: " + e.getMessage(), e);
        }
    }

    /** Ends this node's hold on the lock (the night ended, or never started). */
    void release() {
        Connection connection = held.getAndSet(null);
        if (connection == null) {
            return;
        }
        try {
            call(connection, "pg_advisory_unlock");
        } catch (SQLException e) {
            log.warn("Could not release the night's lock ({}); closing its session releases it", e.getMessage());
        } finally {
            closeQuietly(connection);
        }
    }

    private static boolean call(Connection connection, String function) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(KEY.formatted(function)); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the pool discards a broken connection
            }
        }
    }
}
