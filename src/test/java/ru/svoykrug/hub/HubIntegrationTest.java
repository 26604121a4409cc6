package ru.svoykrug.hub;

import ru.svoykrug.hub.privacy.StoredPersonalData;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import ru.svoykrug.hub.connect.SyncFaults;
import ru.svoykrug.hub.connect.amocrm.TokenFaults;
import ru.svoykrug.hub.monitoring.LocalReceiver;
import ru.svoykrug.hub.nightly.NightlyFaults;
import ru.svoykrug.hub.warehouse.ClickHouseTestServer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One hub for the integration tests: a real embedded PostgreSQL in a fresh directory, Camel, Quartz and
 * the HTTP API on a random port. Only the built-in defaults are read (not ./config), so no demo partner
 * syncs behind a test's back; each test makes its own simulator and connection. Tokens for its API:
 * {@link TestTokens}. Every night exports to a real ClickHouse server, started once for all of them
 * ({@link ClickHouseTestServer}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.location=classpath:/application.yml",
        "hub.sync.http.redelivery-delay-ms=100",
        // a partner with its own earn rate, for the points tests
        "hub.loyalty.partner-percent.points-own-rate=10",
        "logging.level.org.apache.camel.processor.errorhandler=ERROR",
        // Quartz keeps a JVM-wide registry of job-store connections by scheduler name: a hub a test starts
        // by itself (the CLI's, the demo's) would otherwise take over this context's name and, once
        // closed, leave this context's scheduler holding a closed pool
        "spring.quartz.properties.org.quartz.scheduler.instanceName=svoy-krug-hub-it",
        // tests sign their tokens with this secret (TestTokens)
        "hub.security.hmac-secret=" + TestTokens.SECRET,
        // the simulators the tests' partners connect to listen on loopback
        "hub.partners.private-addresses-allowed=true",
        // requests of a few rows, so that a test's export already sends a table in several
        "hub.warehouse.chunk-bytes=8192"
})
@Import({SyncFaults.class, NightlyFaults.class, TokenFaults.class, StoredPersonalData.class})
public abstract class HubIntegrationTest {

    private static final Path DATA_DIR = newDataDir();

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.warehouse.url", ClickHouseTestServer::url);
        // every hub's alerts go to one local receiver; tests find theirs by connection
        registry.add("hub.alerts.webhook-url", () -> LocalReceiver.WEBHOOK.url("/alerts"));
    }

    private static Path newDataDir() {
        try {
            return Files.createTempDirectory("hub-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
