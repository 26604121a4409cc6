package ru.svoykrug.hub.sync.http;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client of one connection: every attempt, redeliveries included, first takes a permit, so the
 * vendor never sees more than its limit in any second. Permits come one at a time, spaced so that a
 * sliding one-second window holds at most {@code requestsPerSecond} calls (a limiter that hands out
 * N permits per fixed second can put 2N calls into one sliding second).
 */
public final class RateLimitedHttpClient implements HttpClientConfigurer {

    private final RateLimiter limiter;
    /** time calls waited for a permit: Micrometer's global registry, which Spring Boot's registry joins */
    private final Timer waited;

    private RateLimitedHttpClient(RateLimiter limiter, String connectionId) {
        this.limiter = limiter;
        this.waited = Timer.builder("hub.sync.rate.limit.wait").tag("connection", connectionId)
                .description("time calls to the partner waited for the connection's rate limit")
                .register(Metrics.globalRegistry);
    }

    /** {@code requestsPerSecond} of 0 or less means no limit (the benchmark lifts vendor limits). */
    public static RateLimitedHttpClient forConnection(String connectionId, int requestsPerSecond) {
        if (requestsPerSecond <= 0) {
            return new RateLimitedHttpClient(null, connectionId);
        }
        long spacingMillis = requestsPerSecond == 1 ? 1001 : 1000 / (requestsPerSecond - 1) + 1;
        RateLimiterConfig config = RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofMillis(spacingMillis))
                .timeoutDuration(Duration.ofMinutes(10))
                .build();
        return new RateLimitedHttpClient(RateLimiter.of("partner-http-" + connectionId, config), connectionId);
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries(); // Camel's redelivery policy is the one place retries happen
        if (limiter != null) {
            builder.addRequestInterceptorFirst((request, entity, context) -> {
                long start = System.nanoTime();
                RateLimiter.waitForPermission(limiter);
                waited.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            });
        }
    }
}
