package ru.svoykrug.hub.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.infra.HubProperties;
import ru.svoykrug.hub.infra.OwnerOnlyFiles;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ready tokens for trying the demo with curl, in {@code data/demo-tokens.json} (owner-only): an ops user,
 * each partner, and a few customers. Written on the embedded default when the hub is up; customers exist
 * only after the first night, so until the file names some it is written again every {@value #RECHECK_SECONDS}
 * seconds. Never on a hub whose tokens come from an identity provider, nor where
 * {@code hub.security.demo-tokens} is false.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class DemoTokens implements AutoCloseable {

    static final String FILE_NAME = "demo-tokens.json";
    static final int CUSTOMERS = 3;
    private static final int RECHECK_SECONDS = 20;
    private static final Logger log = LoggerFactory.getLogger(DemoTokens.class);

    private final SecuritySettings settings;
    private final HubProperties hub;
    private final TokenKeysConfiguration.HubKey hubKey;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private ScheduledExecutorService recheck;

    DemoTokens(SecuritySettings settings, HubProperties hub, TokenKeysConfiguration.HubKey hubKey, JdbcTemplate jdbc,
               JsonMapper json, Clock clock) {
        this.settings = settings;
        this.hub = hub;
        this.hubKey = hubKey;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    Path file() {
        return hub.dataDir().resolve(FILE_NAME);
    }

    @EventListener(ApplicationReadyEvent.class)
    synchronized void writeWhenReady() {
        boolean wanted = settings.demoTokens() == null ? hub.embeddedDatabase() : settings.demoTokens();
        if (!wanted || hubKey.minter().isEmpty()) {
            return;
        }
        if (write() < CUSTOMERS && recheck == null) {
            recheck = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "demo-tokens");
                t.setDaemon(true);
                return t;
            });
            recheck.scheduleWithFixedDelay(this::writeAgainUntilCustomers, RECHECK_SECONDS, RECHECK_SECONDS, TimeUnit.SECONDS);
        }
    }

    private synchronized void writeAgainUntilCustomers() {
        try {
            if (write() >= CUSTOMERS) {
                recheck.shutdown();
            }
        } catch (RuntimeException e) {
            log.warn("Demo tokens not written again: {}", e.getMessage());
        }
    }

    /** Writes the file; returns how many customers it names. */
    int write() {
        TokenMinter minter = hubKey.minter().orElseThrow();
        Instant now = clock.instant();
        Map<String, Object> tokens = new LinkedHashMap<>();
        tokens.put("about", "Demo bearer tokens of this hub (signed with its key in the data folder): "
                + "curl -H \"Authorization: Bearer <token>\" ...");
        tokens.put("expiresAt", now.plus(settings.demoTokenLifetime()).toString());
        tokens.put("ops", minter.ops("demo-ops", now, settings.demoTokenLifetime()));
        tokens.put("opsMedical", minter.opsMedical("demo-ops-medical", now, settings.demoTokenLifetime()));
        Map<String, String> partners = new LinkedHashMap<>();
        for (String partnerId : jdbc.queryForList(
                "SELECT DISTINCT partner_id FROM ops.partner_connection ORDER BY partner_id", String.class)) {
            partners.put(partnerId, minter.partner(partnerId, now, settings.demoTokenLifetime()));
        }
        tokens.put("partners", partners);
        // customers with points, those of several partners first: the ones the customer API has most to show of
        List<Long> ids = jdbc.queryForList("""
                SELECT c.id FROM core.customer c JOIN core.points_ledger l ON l.customer_id = c.id
                WHERE c.merged_into IS NULL GROUP BY c.id
                ORDER BY count(DISTINCT l.connection_id) DESC, c.id LIMIT ?""", Long.class, CUSTOMERS);
        Map<String, String> customers = new LinkedHashMap<>();
        for (long id : ids) {
            customers.put(Long.toString(id), minter.customer(id, now, settings.demoTokenLifetime()));
        }
        tokens.put("customers", customers);
        try {
            OwnerOnlyFiles.write(file(), json.writerWithDefaultPrettyPrinter().writeValueAsString(tokens) + "\n");
        } catch (IOException e) {
            log.warn("Cannot write the demo tokens to {}: {}", file(), e.getMessage());
            return CUSTOMERS;
        }
        log.info("Demo tokens for an ops user, {} partners and {} customers in {} "
                        + "(curl -H \"Authorization: Bearer $(jq -r .ops {})\" localhost:<port>/api/v1/ops/connections)",
                partners.size(), customers.size(), file().toAbsolutePath().normalize(), file());
        return customers.size();
    }

    @Override
    public synchronized void close() {
        if (recheck != null) {
            recheck.shutdownNow();
        }
    }
}
