package ru.svoykrug.hub.sync.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code hub.sync.http.*}: how the partner-http error handler ({@code routes/partner-http.yaml}) retries a
 * failed call. The route file reads the first two as property placeholders with these same defaults
 * (a redeliveryPolicyRef to a Java-built policy is refused by Camel 4.22 as "not configured" when the
 * clause has no steps); Java reads the third.
 *
 * @param maxRedeliveries       attempts after the first, for a 429, a 5xx or a dropped connection
 * @param redeliveryDelayMs     the first back-off, doubling up to a minute
 * @param maxRetryAfterSeconds  the longest a vendor's {@code Retry-After} / {@code retry_after} may hold a call
 */
@ConfigurationProperties("hub.sync.http")
public record HttpRetryProperties(@DefaultValue("8") int maxRedeliveries, @DefaultValue("500") long redeliveryDelayMs,
                                  @DefaultValue("600") long maxRetryAfterSeconds) {

    public Duration longestRetryAfter() {
        return Duration.ofSeconds(Math.max(0, maxRetryAfterSeconds));
    }
}
