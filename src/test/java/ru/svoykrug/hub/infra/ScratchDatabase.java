package ru.svoykrug.hub.infra;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A database of a test's own on the test hub's embedded server, owned by the hub's role: the hub's role may
 * not make databases, so the server's superuser (its password from the data folder) makes it.
 */
public final class ScratchDatabase {

    private ScratchDatabase() {
    }

    /** Drops {@code name} if it exists, makes it anew for the hub's role, and returns a data source on it. */
    public static DriverManagerDataSource create(HubProperties hub, HikariDataSource hubDataSource, String name) {
        superuser(hub, hubDataSource).execute("DROP DATABASE IF EXISTS " + name);
        superuser(hub, hubDataSource).execute("CREATE DATABASE " + name + " OWNER " + hubDataSource.getUsername());
        String url = hubDataSource.getJdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
        return new DriverManagerDataSource(url, hubDataSource.getUsername(), hubDataSource.getPassword());
    }

    public static void drop(HubProperties hub, HikariDataSource hubDataSource, String name) {
        superuser(hub, hubDataSource).execute("DROP DATABASE IF EXISTS " + name);
    }

    private static JdbcTemplate superuser(HubProperties hub, HikariDataSource hubDataSource) {
        EmbeddedLogins logins = EmbeddedLogins.loadOrCreate(EmbeddedLogins.fileOf(hub.dataDir().resolve("postgres")));
        return new JdbcTemplate(new DriverManagerDataSource(hubDataSource.getJdbcUrl(), EmbeddedLogins.SUPERUSER,
                logins.superuserPassword()));
    }
}
