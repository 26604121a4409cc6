package ru.svoykrug.hub.privacy;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import ru.svoykrug.hub.audit.Actor;
import ru.svoykrug.hub.audit.AuditTrail;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * Records and reads consents. A change is audited (action CONSENT) in its own transaction; setting what
 * is already recorded changes nothing (not even its time).
 */
@Component
public class Consents {

    private static final Set<String> BY = Set.of("CUSTOMER", "PARTNER", "OPS");

    private final JdbcTemplate jdbc;
    private final AuditTrail audit;
    private final Clock clock;
    private final boolean defaultGiven;

    Consents(JdbcTemplate jdbc, AuditTrail audit, Clock clock,
             @Value("${hub.consent.default-given:true}") boolean defaultGiven) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
        this.defaultGiven = defaultGiven;
    }

    /** The night's SQL reads the default from the database: written at every start (the last node's word wins). */
    @EventListener(ApplicationStartedEvent.class)
    public void writeDefault() {
        jdbc.update("UPDATE privacy.policy SET default_given = ? WHERE default_given IS DISTINCT FROM ?", defaultGiven, defaultGiven);
    }

    public Consent of(long customerId) {
        return jdbc.query("SELECT given, since, by_role, by_subject FROM privacy.consent WHERE customer_id = ?",
                        (rs, n) -> new Consent(rs.getBoolean(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), true),
                        customerId)
                .stream().findFirst().orElse(new Consent(defaultGiven, null, null, null, false));
    }

    /** Gives or withdraws; {@code channel} is the endpoint or job that says so. Returns the consent now. */
    @Transactional
    public Consent set(long customerId, boolean given, Actor by, String channel) {
        if (!BY.contains(by.role())) {
            throw new IllegalArgumentException("consent is given or withdrawn by the customer, a partner or ops");
        }
        Instant now = clock.instant();
        int changed = jdbc.update("""
                INSERT INTO privacy.consent (customer_id, given, since, by_role, by_subject) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (customer_id) DO UPDATE SET given = excluded.given, since = excluded.since,
                       by_role = excluded.by_role, by_subject = excluded.by_subject
                 WHERE privacy.consent.given IS DISTINCT FROM excluded.given""",
                customerId, given, Timestamp.from(now), by.role(), by.subject());
        if (changed > 0) {
            // the segment shows only with consent: the customer API's kept answer no longer counts (V36)
            jdbc.queryForList("SELECT core.customers_changed(ARRAY[CAST(? AS bigint)])", customerId);
            audit.consent(by, customerId, channel, given);
        }
        return of(customerId);
    }

    public boolean defaultGiven() {
        return defaultGiven;
    }
}
