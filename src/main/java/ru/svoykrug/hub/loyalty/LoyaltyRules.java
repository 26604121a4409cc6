package ru.svoykrug.hub.loyalty;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The earning rules of {@code config/loyalty.yml}: points as a percent of the amount per partner
 * connection, tiers by trailing 12-month spend across the circle with earn multipliers, how long points
 * stay pending and how long active points live.
 */
@ConfigurationProperties(prefix = "hub.loyalty")
public record LoyaltyRules(BigDecimal defaultPercent, Map<String, BigDecimal> partnerPercent, List<Tier> tiers,
                           Integer pendingDays, Integer expiryMonths) {

    public LoyaltyRules {
        defaultPercent = defaultPercent == null ? new BigDecimal("5") : defaultPercent;
        partnerPercent = partnerPercent == null ? Map.of() : Map.copyOf(partnerPercent);
        tiers = tiers == null || tiers.isEmpty()
                ? List.of(new Tier("Base", BigDecimal.ZERO, BigDecimal.ONE),
                          new Tier("Silver", new BigDecimal("30000"), new BigDecimal("1.25")),
                          new Tier("Gold", new BigDecimal("100000"), new BigDecimal("1.5")))
                : tiers.stream().sorted(Comparator.comparing(Tier::fromRoubles)).toList();
        pendingDays = pendingDays == null ? 14 : pendingDays;
        expiryMonths = expiryMonths == null ? 12 : expiryMonths;
        if (tiers.get(0).fromRoubles().signum() != 0) {
            throw new IllegalArgumentException("hub.loyalty.tiers must have a tier from 0 roubles");
        }
    }

    /** A tier from a trailing 12-month spend (roubles) on, with its earn multiplier. */
    public record Tier(String name, BigDecimal fromRoubles, BigDecimal multiplier) {
        public long fromKopecks() {
            return fromRoubles.movePointRight(2).longValueExact();
        }
    }
}
