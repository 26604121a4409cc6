package ru.svoykrug.hub.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The hub's embedded default database: a real PostgreSQL 16 whose data lives in a fixed directory
 * and survives restarts, also a restart after the JVM was killed with {@code kill -9}.
 *
 * <p>It accepts password logins only, and the hub works as its own role, not a superuser
 * ({@link PasswordLoginsOnly}); the passwords live in an owner-only file beside the data ({@link EmbeddedLogins}).
 *
 * <p>Zonky's own shutdown hook is turned off: it would stop PostgreSQL while Quartz and Camel still
 * use it. Spring closes this server as a bean, after everything that depends on the data source.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final EmbeddedLogins logins;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, EmbeddedLogins logins) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.logins = logins;
    }

    public static EmbeddedPostgresServer start(Path dataDirectory) {
        try {
            Path dir = dataDirectory.toAbsolutePath().normalize();
            Files.createDirectories(dir.getParent());
            stopOrphanedServer(dir);
            EmbeddedLogins logins = EmbeddedLogins.loadOrCreate(EmbeddedLogins.fileOf(dir));
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            Path passwordFile = null;
            if (!Files.exists(dir.resolve("PG_VERSION"))) {
                // a new server accepts passwords only from its first moment: initdb takes the options
                // zonky passes as "locale" options last, after its own "-A trust"
                passwordFile = dir.resolveSibling("." + dir.getFileName() + "-initdb-password");
                OwnerOnlyFiles.write(passwordFile, logins.superuserPassword());
                builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", passwordFile.toString())
                        // Text compared byte by byte: the night sorts and indexes millions of text keys (partner and
                        // record ids), which PostgreSQL 16 compares by their first bytes under "C" but with a strcoll
                        // call each under any other locale, C.UTF-8 included (its order is the same). Character
                        // classes (upper, lower) keep the machine's locale.
                        .setLocaleConfig("lc-collate", "C");
            }
            // zonky's readiness check connects as the superuser
            builder.setConnectConfig("password", logins.superuserPassword());
            EmbeddedPostgres postgres;
            try {
                postgres = builder
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "100")
                    // Nobody replicates or archives the embedded server: without WAL for tables a night
                    // empties and reloads (and for the indexes it builds), a first night writes half as much.
                    .setServerConfig("wal_level", "minimal")
                    .setServerConfig("max_wal_senders", "0")
                    // a night's loads are gigabytes: checkpoints by size every gigabyte would write pages twice
                    .setServerConfig("max_wal_size", "4GB")
                    .start();
            } finally {
                if (passwordFile != null) {
                    Files.deleteIfExists(passwordFile);
                }
            }
            try (Connection superuser = postgres.getPostgresDatabase().getConnection()) {
                PasswordLoginsOnly.apply(superuser, dir, logins);
            } catch (SQLException e) {
                postgres.close();
                throw new IllegalStateException("Cannot set up the logins of the embedded PostgreSQL in " + dir + ": "
                        + e.getMessage(), e);
            }
            log.info("Embedded PostgreSQL started on port {} with data in {} (fsync off: fine for the demo and tests, "
                    + "set HUB_DB_URL for data you keep)", postgres.getPort(), dir);
            return new EmbeddedPostgresServer(postgres, dir, logins);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    /** The hub's own role: owns its schemas, is not a superuser. */
    public String user() {
        return EmbeddedLogins.HUB_ROLE;
    }

    public String password() {
        return logins.hubPassword();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    /**
     * After a {@code kill -9} of the JVM its PostgreSQL lives on as an orphan holding {@code postmaster.pid},
     * and a new start would fail. Stop such an orphan; refuse to touch a server that a live JVM still owns.
     */
    static void stopOrphanedServer(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            Files.deleteIfExists(pidFile);
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            Files.deleteIfExists(pidFile);
            return;
        }
        Optional<ProcessHandle> server = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(true));
        if (server.isEmpty()) {
            log.info("Removing stale postmaster.pid (pid {} is gone) in {}", pid, dataDirectory);
            Files.deleteIfExists(pidFile);
            return;
        }
        Optional<ProcessHandle> owner = server.get().parent().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/java") || c.endsWith("java")).orElse(false));
        if (owner.isPresent() && owner.get().pid() != ProcessHandle.current().pid()) {
            throw new IllegalStateException("The data directory " + dataDirectory + " is in use by PostgreSQL (pid " + pid
                    + ") of another running hub (pid " + owner.get().pid() + ")");
        }
        log.warn("Stopping orphaned PostgreSQL (pid {}) left by a hub that died, in {}", pid, dataDirectory);
        ProcessHandle handle = server.get();
        handle.destroy(); // SIGTERM: smart shutdown; its clients died with the old JVM
        try {
            handle.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception timeout) {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
            try {
                handle.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Cannot stop orphaned PostgreSQL pid " + pid, e);
            }
        }
        Files.deleteIfExists(pidFile);
    }
}
