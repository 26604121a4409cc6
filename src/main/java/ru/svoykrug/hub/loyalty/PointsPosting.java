package ru.svoykrug.hub.loyalty;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Step "points": jobs/sql/03-points.sql over the rules of config/loyalty.yml. The night runs the script in
 * the step's transaction; this gives it the rules, the rates and tiers as temporary tables of that
 * transaction and the rest as the script's parameters (the night adds the business date).
 */
@Component
public class PointsPosting {

    /** The script of jobs/sql/ that posts the points. */
    public static final String SCRIPT = "03-points.sql";

    private final JdbcTemplate jdbc;
    private final LoyaltyRules rules;

    PointsPosting(JdbcTemplate jdbc, LoyaltyRules rules) {
        this.jdbc = jdbc;
        this.rules = rules;
    }

    /** Loads the rates and tiers into temporary tables of the step's transaction; returns the script's other parameters. */
    public Map<String, Object> prepare() {
        jdbc.execute("CREATE TEMP TABLE night_rate (connection_id text PRIMARY KEY, percent numeric NOT NULL) ON COMMIT DROP");
        jdbc.execute("CREATE TEMP TABLE night_tier (tier text PRIMARY KEY, min_spend_kopecks bigint NOT NULL, multiplier numeric NOT NULL) ON COMMIT DROP");
        rules.partnerPercent().forEach((connection, percent) ->
                jdbc.update("INSERT INTO night_rate VALUES (?, ?)", connection, percent));
        for (LoyaltyRules.Tier tier : rules.tiers()) {
            jdbc.update("INSERT INTO night_tier VALUES (?, ?, ?)", tier.name(), tier.fromKopecks(), tier.multiplier());
        }
        return Map.of("default_percent", rules.defaultPercent(), "pending_days", rules.pendingDays(),
                "expiry_months", rules.expiryMonths());
    }
}
