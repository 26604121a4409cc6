package ru.svoykrug.hub.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import ru.svoykrug.hub.HubApplication;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.connect.TestConnections;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded default keeps its data across restarts, also after the JVM was killed with SIGKILL. */
class EmbeddedDefaultRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void theHubStartsTwiceOnOneDataDirectoryAndKeepsItsConnections() {
        ConnectionDefinition mindal = new ConnectionDefinition("restart-yclients", "Mindal", "yclients", "Europe/Moscow", false,
                TestConnections.NEVER, Map.of("baseUrl", "http://127.0.0.1:9/api/v1", "companyId", "1"),
                Map.of("partnerToken", "p-secret", "userToken", "u-secret"));
        try (ConfigurableApplicationContext hub = startHub()) {
            hub.getBean(ConnectionService.class).ensure(mindal);
        }
        try (ConfigurableApplicationContext hub = startHub()) {
            ConnectionRepository connections = hub.getBean(ConnectionRepository.class);
            assertThat(connections.find("restart-yclients")).isPresent();
            // the master key generated on the first start opens the credentials on the second
            assertThat(connections.credentials("restart-yclients")).containsEntry("userToken", "u-secret");
        }
        assertThat(dataDir.resolve("master-key.json")).exists();
    }

    @Test
    void aServerOrphanedByKillNineIsStoppedAndItsDataKept() throws Exception {
        Path pg = dataDir.resolve("postgres");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedPostgresChild.class.getName(), pg.toString(), "before-kill")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        List<String> seen = new ArrayList<>();
        while ((line = out.readLine()) != null && !line.startsWith("READY")) {
            seen.add(line);
        }
        assertThat(line).as("child output: %s", seen).startsWith("READY");
        long orphan = Long.parseLong(Files.readAllLines(pg.resolve("postmaster.pid")).get(0).trim());

        child.destroyForcibly(); // SIGKILL: no shutdown hook, no Spring, PostgreSQL left running
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).contains(true);

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(pg);
             Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT note FROM marks")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("before-kill");
        }
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void withADatabaseUrlTheHubUsesThatPostgresqlAndStartsNoEmbeddedOne() throws Exception {
        Path external = dataDir.resolve("external-server");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(external);
             ConfigurableApplicationContext hub = new SpringApplicationBuilder(HubApplication.class).web(WebApplicationType.NONE)
                     .run("--spring.config.location=classpath:/application.yml", "--hub.data-dir=" + dataDir.resolve("hub"),
                             "--spring.quartz.auto-startup=false", "--hub.db.url=" + server.jdbcUrl(), "--hub.db.user=" + server.user(),
                             "--hub.db.password=" + server.password(), "--hub.master-key=" + ru.svoykrug.hub.connections.CredentialVault.newKeysetJson())) {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT count(*) FROM information_schema.schemata WHERE schema_name IN ('staging', 'core', 'ops')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
            assertThat(dataDir.resolve("hub").resolve("postgres")).doesNotExist();
            assertThat(dataDir.resolve("hub").resolve("master-key.json")).doesNotExist();
        }
    }

    private ConfigurableApplicationContext startHub() {
        return new SpringApplicationBuilder(HubApplication.class).web(WebApplicationType.NONE)
                .run("--spring.config.location=classpath:/application.yml", "--hub.data-dir=" + dataDir,
                        "--spring.quartz.auto-startup=false");
    }
}
