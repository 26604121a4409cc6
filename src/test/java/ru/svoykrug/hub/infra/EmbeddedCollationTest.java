package ru.svoykrug.hub.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new embedded server compares text byte by byte (the "C" collation, which PostgreSQL sorts with
 * abbreviated keys: the night's index builds on partner and record ids), and keeps the machine's
 * character classes.
 */
class EmbeddedCollationTest {

    @TempDir
    Path dir;

    @Test
    void aNewServerSortsTextByteByByteAndStillKnowsUpperAndLowerCase() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.resolve("postgres"));
             Connection hub = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement st = hub.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT datcollate FROM pg_database WHERE datname = current_database()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("C");
            }
            List<String> sorted = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT x FROM unnest(ARRAY['b', 'a', 'B', 'я', 'Я', 'ё', 'A']) AS x ORDER BY x")) {
                while (rs.next()) {
                    sorted.add(rs.getString(1));
                }
            }
            assertThat(sorted).containsExactly("A", "B", "a", "b", "Я", "я", "ё");
            try (ResultSet rs = st.executeQuery("SELECT upper('ёжик'), lower('ЁЖИК')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("ЁЖИК");
                assertThat(rs.getString(2)).isEqualTo("ёжик");
            }
        }
    }
}
