package ru.svoykrug.hub.sync.http;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

import java.time.Duration;

/**
 * The HTTP client of one connection: every attempt, redeliveries included, first takes a permit, so the
 * vendor never sees more than its limit in any second. Permits come one at a time, spaced so that a
 * sliding one-second window holds at most {@code requestsPerSecond} calls (a limiter that hands out
 * N permits per fixed second can put 2N calls into one sliding second).
 */
public final class RateLimitedHttpClient implements HttpClientConfigurer {

    private final RateLimiter limiter;

    private RateLimitedHttpClient(RateLimiter limiter) {
        this.limiter = limiter;
    }

    /** {@code requestsPerSecond} of 0 or less means no limit (the benchmark lifts vendor limits). */
    public static RateLimitedHttpClient forConnection(String connectionId, int requestsPerSecond) {
        if (requestsPerSecond <= 0) {
            return new RateLimitedHttpClient(null);
        }
        long spacingMillis = requestsPerSecond == 1 ? 1001 : 1000 / (requestsPerSecond - 1) + 1;
        RateLimiterConfig config = RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofMillis(spacingMillis))
                .timeoutDuration(Duration.ofMinutes(10))
                .build();
        return new RateLimitedHttpClient(RateLimiter.of("partner-http-" + connectionId, config));
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries(); // Camel's redelivery policy is the one place retries happen
        if (limiter != null) {
            builder.addRequestInterceptorFirst((request, entity, context) -> RateLimiter.waitForPermission(limiter));
        }
    }
}
