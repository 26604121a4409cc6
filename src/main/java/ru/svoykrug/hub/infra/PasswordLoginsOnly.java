package ru.svoykrug.hub.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Locks the embedded server after each start: password logins only (scram), the superuser's password set,
 * and the hub's own role, not a superuser, owning the database and everything the hub made in it. A folder
 * made before this (trust logins, everything owned by the superuser) is brought to the same state at its
 * first start; on a folder already locked every statement is a no-op.
 */
final class PasswordLoginsOnly {

    static final String HBA = """
            # Written by the hub at every start: password logins only, from this machine only.
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            host    all   all   ::1/128        scram-sha-256
            """;

    private PasswordLoginsOnly() {
    }

    static void apply(Connection superuser, Path serverDirectory, EmbeddedLogins logins) throws SQLException, IOException {
        try (Statement st = superuser.createStatement()) {
            st.execute("SET password_encryption = 'scram-sha-256'");
            setPassword(superuser, EmbeddedLogins.SUPERUSER, logins.superuserPassword());
            st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + EmbeddedLogins.HUB_ROLE + "') THEN "
                    + "CREATE ROLE " + EmbeddedLogins.HUB_ROLE + " LOGIN; END IF; END $$");
            st.execute("ALTER ROLE " + EmbeddedLogins.HUB_ROLE + " NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS LOGIN");
            setPassword(superuser, EmbeddedLogins.HUB_ROLE, logins.hubPassword());
            st.execute("ALTER DATABASE postgres OWNER TO " + EmbeddedLogins.HUB_ROLE);
            st.execute(HAND_OVER_WHAT_THE_HUB_MADE);
        }
        Path hba = serverDirectory.resolve("pg_hba.conf");
        if (!HBA.equals(Files.exists(hba) ? Files.readString(hba) : "")) {
            OwnerOnlyFiles.write(hba, HBA);
            try (Statement st = superuser.createStatement()) {
                st.execute("SELECT pg_reload_conf()");
            }
        }
    }

    private static void setPassword(Connection superuser, String role, String password) throws SQLException {
        // ALTER ROLE takes no parameters: quote the literal on the server
        String literal;
        try (PreparedStatement ps = superuser.prepareStatement("SELECT quote_literal(?)")) {
            ps.setString(1, password);
            try (var rs = ps.executeQuery()) {
                rs.next();
                literal = rs.getString(1);
            }
        }
        try (Statement st = superuser.createStatement()) {
            st.execute("ALTER ROLE " + role + " PASSWORD " + literal);
        }
    }

    /**
     * Schemas, tables, views and routines outside the system's own that a superuser owns (a folder from before
     * the hub had its own role) go to the hub's role. Sequences of a column follow their table.
     */
    private static final String HAND_OVER_WHAT_THE_HUB_MADE = """
            DO $$
            DECLARE r record;
            BEGIN
              FOR r IN SELECT n.nspname FROM pg_namespace n JOIN pg_roles o ON o.oid = n.nspowner
                        WHERE o.rolsuper AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' LOOP
                EXECUTE format('ALTER SCHEMA %I OWNER TO svoy_krug_hub', r.nspname);
              END LOOP;
              FOR r IN SELECT c.oid::regclass AS rel, c.relkind FROM pg_class c
                         JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_roles o ON o.oid = c.relowner
                        WHERE o.rolsuper AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                          AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                          AND (c.relkind <> 'S' OR NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                             AND d.objid = c.oid AND d.deptype IN ('a', 'i'))) LOOP
                EXECUTE format('ALTER %s %s OWNER TO svoy_krug_hub',
                               CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                              WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.rel);
              END LOOP;
              FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p
                         JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_roles o ON o.oid = p.proowner
                        WHERE o.rolsuper AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' LOOP
                EXECUTE format('ALTER ROUTINE %s OWNER TO svoy_krug_hub', r.fn);
              END LOOP;
            END $$
            """;
}
