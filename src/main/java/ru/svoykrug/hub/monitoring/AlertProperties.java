package ru.svoykrug.hub.monitoring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * {@code hub.alerts.*}: where notifications go ({@code webhook-url}; none are sent when unset, though
 * incidents are still tracked), how often the hub looks ({@code check-interval}), and the dashboard's
 * address their links point to ({@code dashboard-url}). {@code sentry-dsn} ({@code SENTRY_DSN}) turns on
 * error tracking.
 */
@ConfigurationProperties("hub.alerts")
record AlertProperties(String webhookUrl, @DefaultValue("60s") Duration checkInterval,
                       @DefaultValue("http://localhost:8080/ops/") String dashboardUrl, String sentryDsn,
                       @DefaultValue("production") String environment) {

    AlertProperties {
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("hub.alerts.check-interval must be positive");
        }
        URI url = webhook();
        if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException("hub.alerts.webhook-url must be an http(s) address");
        }
    }

    /** Null when unset or blank (an empty environment variable). */
    URI webhook() {
        return webhookUrl == null || webhookUrl.isBlank() ? null : URI.create(webhookUrl.trim());
    }
}
