package ru.svoykrug.hub.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded PostgreSQL takes password logins only, and the hub works on it as a role that is not a superuser. */
class EmbeddedLoginsTest {

    @TempDir
    Path dir;

    @Test
    void aNewServerRefusesLoginsWithoutTheRightPasswordAndTheHubIsNoSuperuser() throws Exception {
        Path pg = dir.resolve("postgres");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(pg)) {
            for (String role : List.of("postgres", server.user())) {
                assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), login(role, null)))
                        .as("%s without a password", role).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), login(role, "postgres")))
                        .as("%s with a guessed password", role).isInstanceOf(SQLException.class)
                        .hasMessageContaining("password authentication failed");
            }
            try (Connection hub = DriverManager.getConnection(server.jdbcUrl(), login(server.user(), server.password()))) {
                assertThat(role(hub)).isEqualTo(server.user() + " superuser=false createdb=false createrole=false");
                hub.createStatement().execute("CREATE SCHEMA its_own; CREATE TABLE its_own.t (x int); INSERT INTO its_own.t VALUES (1)");
            }
            EmbeddedLogins logins = EmbeddedLogins.loadOrCreate(EmbeddedLogins.fileOf(pg));
            try (Connection admin = DriverManager.getConnection(server.jdbcUrl(), login("postgres", logins.superuserPassword()))) {
                assertThat(role(admin)).startsWith("postgres superuser=true");
            }
        }
        assertThat(Files.readString(pg.resolve("pg_hba.conf"))).doesNotContain("trust").contains("scram-sha-256");
        Path loginsFile = EmbeddedLogins.fileOf(pg);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(loginsFile))).isEqualTo("rw-------");
        try (var beside = Files.list(dir)) {
            assertThat(beside).as("the initdb password file is gone").containsExactlyInAnyOrder(pg, loginsFile);
        }
        // a restart finds its passwords
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(pg);
             Connection hub = DriverManager.getConnection(again.jdbcUrl(), login(again.user(), again.password()));
             ResultSet rs = hub.createStatement().executeQuery("SELECT x FROM its_own.t")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void aFolderMadeWithTrustLoginsIsLockedAndHandedToTheHubAtItsFirstStart() throws Exception {
        Path pg = dir.resolve("postgres");
        // the way the hub made its folder before: trust logins, everything the superuser's
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(pg).setCleanDataDirectory(false).start();
             Connection c = old.getPostgresDatabase().getConnection();
             Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA staging; CREATE TABLE staging.sale (id bigserial PRIMARY KEY, amount bigint)");
            st.execute("CREATE TABLE staging.part (d date) PARTITION BY RANGE (d)");
            st.execute("CREATE TABLE staging.part_2026 PARTITION OF staging.part FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')");
            st.execute("CREATE FUNCTION staging.twice(x bigint) RETURNS bigint LANGUAGE sql AS 'SELECT 2 * x'");
            st.execute("CREATE VIEW staging.big AS SELECT * FROM staging.sale WHERE amount > 100");
            st.execute("CREATE TABLE public.qrtz_like (x int)");
        }
        assertThat(Files.readString(pg.resolve("pg_hba.conf"))).contains("trust");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(pg);
             Connection hub = DriverManager.getConnection(server.jdbcUrl(), login(server.user(), server.password()));
             Statement st = hub.createStatement()) {
            st.execute("INSERT INTO staging.sale (amount) VALUES (150)");
            st.execute("INSERT INTO staging.part VALUES ('2026-06-01')");
            st.execute("INSERT INTO public.qrtz_like VALUES (1)");
            st.execute("ALTER TABLE staging.sale ADD COLUMN note text");
            try (ResultSet rs = st.executeQuery("SELECT staging.twice(amount) FROM staging.big")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(300);
            }
            try (ResultSet rs = st.executeQuery("""
                    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname IN ('staging', 'public') AND pg_get_userbyid(c.relowner) <> current_user""")) {
                rs.next();
                assertThat(rs.getInt(1)).as("relations still owned by the superuser").isZero();
            }
            assertThat(role(hub)).startsWith(server.user() + " superuser=false");
            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), login("postgres", null)))
                    .isInstanceOf(SQLException.class);
        }
        assertThat(Files.readString(pg.resolve("pg_hba.conf"))).doesNotContain("trust");
    }

    private static Properties login(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    private static String role(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(
                "SELECT rolname, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user")) {
            rs.next();
            return rs.getString(1) + " superuser=" + rs.getBoolean(2) + " createdb=" + rs.getBoolean(3)
                    + " createrole=" + rs.getBoolean(4);
        }
    }
}
