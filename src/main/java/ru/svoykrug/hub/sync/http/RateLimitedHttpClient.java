package ru.svoykrug.hub.sync.http;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client of one connection, shared by its streams: every attempt, redeliveries included, first
 * waits for the connection's {@link SlidingWindowLimiter} and holds its place there until its answer is
 * back, so the vendor never sees more than its limits in any second or any minute, however many streams
 * read side by side and however late a call arrives.
 */
public final class RateLimitedHttpClient implements HttpClientConfigurer {

    private final SlidingWindowLimiter limiter;
    /** time calls waited for a permit: Micrometer's global registry, which Spring Boot's registry joins */
    private final Timer waited;

    private RateLimitedHttpClient(SlidingWindowLimiter limiter, String connectionId) {
        this.limiter = limiter;
        this.waited = Timer.builder("hub.sync.rate.limit.wait").tag("connection", connectionId)
                .description("time calls to the partner waited for the connection's rate limit")
                .register(Metrics.globalRegistry);
    }

    /** No limit when neither is set (the benchmark lifts vendor limits). */
    public static RateLimitedHttpClient forConnection(String connectionId, RateLimits limits) {
        return new RateLimitedHttpClient(limits.limited() ? new SlidingWindowLimiter(limits) : null, connectionId);
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries(); // Camel's redelivery policy is the one place retries happen
        if (limiter != null) {
            // around the one step that sends a request and reads its answer's head: every call that goes out
            // holds a place in the windows until its answer is back, however it ends
            builder.addExecInterceptorBefore(ChainElement.MAIN_TRANSPORT.name(), "vendor-rate-limit", (request, scope, chain) -> {
                long start = System.nanoTime();
                Object ticket;
                try {
                    ticket = limiter.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // a run stopped for taking too long
                    throw new InterruptedIOException("interrupted while waiting for the vendor's rate limit");
                }
                waited.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                try {
                    return chain.proceed(request, scope);
                } finally {
                    limiter.release(ticket);
                }
            });
        }
    }
}
