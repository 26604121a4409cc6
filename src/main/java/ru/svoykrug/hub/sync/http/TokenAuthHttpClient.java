package ru.svoykrug.hub.sync.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP client of a connection whose vendor hands out expiring bearer tokens. On every attempt
 * (Camel's redeliveries included) it puts the current token on the request; on a 401 it renews the
 * token once and repeats the call, so a token that expires in the middle of a sync costs one call.
 *
 * <p>It also keeps the connection's streams from calling into a vendor that said stop: a 429 holds every
 * stream for the vendor's {@code retry_after}; a 403 that means a blocked IP ends all streams at once
 * instead of knocking again. With {@code oneCallAtATime} a connection has a single call on the wire, so
 * that no call is already under way when a 429 arrives (amoCRM counts such calls against the client).
 * Statuses the vendor uses for its own timeouts become I/O errors, which the
 * route retries with back-off.
 */
public final class TokenAuthHttpClient implements HttpClientConfigurer {

    private static final Pattern RETRY_AFTER = Pattern.compile("\"retry_after\"\\s*:\\s*\"?(\\d+)");

    private final HttpClientConfigurer rateLimited;
    private final AccessTokens tokens;
    private final String vendor;
    private final boolean forbiddenMeansBlocked;
    private final Set<Integer> timeoutStatuses;
    private final VendorGate gate = new VendorGate();
    private final Semaphore onTheWire;

    private final Duration longestWait;
    /** tokens renewed after a 401, and token requests that failed: Micrometer's global registry, per vendor */
    private final Counter refreshes;
    private final Counter refreshFailures;

    /**
     * @param longestWait the longest a vendor's {@code retry_after} / {@code Retry-After} may hold the
     *                    connection ({@code hub.sync.http.max-retry-after-seconds}), as on the Camel path
     */
    public TokenAuthHttpClient(HttpClientConfigurer rateLimited, AccessTokens tokens, String vendor,
                               boolean forbiddenMeansBlocked, Set<Integer> timeoutStatuses, boolean oneCallAtATime,
                               Duration longestWait) {
        this.longestWait = longestWait;
        this.refreshes = Counter.builder("hub.sync.token.refreshes").tag("system", vendor)
                .description("tokens renewed after the vendor refused the current one").register(Metrics.globalRegistry);
        this.refreshFailures = Counter.builder("hub.sync.token.failures").tag("system", vendor)
                .description("token requests that failed").register(Metrics.globalRegistry);
        this.onTheWire = oneCallAtATime ? new Semaphore(1, true) : null;
        this.rateLimited = rateLimited;
        this.tokens = tokens;
        this.vendor = vendor;
        this.forbiddenMeansBlocked = forbiddenMeansBlocked;
        this.timeoutStatuses = timeoutStatuses;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        rateLimited.configureHttpClient(builder);
        // After the rate limiter's permit, so a call that waited for its permit still sees a 429 that came meanwhile.
        builder.addRequestInterceptorLast((request, entity, context) -> awaitGate());
        builder.addExecInterceptorFirst("hub-token-auth", this::execute);
    }

    private ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, org.apache.hc.core5.http.HttpException {
        if (onTheWire == null) {
            return call(request, scope, chain);
        }
        try {
            onTheWire.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to call " + vendor);
        }
        try {
            return call(request, scope, chain);
        } finally {
            onTheWire.release();
        }
    }

    private ClassicHttpResponse call(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, org.apache.hc.core5.http.HttpException {
        String token = token(tokens::current);
        ClassicHttpResponse response = send(request, scope, chain, token);
        if (response.getCode() == 401 && repeatable(request)) {
            EntityUtils.consumeQuietly(response.getEntity());
            response.close();
            refreshes.increment();
            response = send(request, scope, chain, token(() -> tokens.renewAfterRejection(token)));
        }
        int code = response.getCode();
        if (code == 429) {
            Header header = response.getFirstHeader("Retry-After");
            gate.pauseFor(waitAsked(header == null ? null : header.getValue(), buffer(response), longestWait));
        } else if (code == 403 && forbiddenMeansBlocked) {
            String body = buffer(response);
            response.close();
            String why = vendor + " answered " + VendorAnswers.describe(403, body) + ": the hub's IP is blocked for calling too often";
            gate.block(why);
            throw new PausedByVendorException(why);
        } else if (timeoutStatuses.contains(code)) {
            EntityUtils.consumeQuietly(response.getEntity());
            response.close();
            throw new VendorTimeoutException(vendor + " answered " + code + " (a timeout on its side)");
        }
        return response;
    }

    /** How long a 429 holds the connection: the vendor's word, at most the longest wait; a second if it said nothing usable. */
    static Duration waitAsked(String header, String body, Duration longestWait) {
        Matcher m = RETRY_AFTER.matcher(body);
        Duration asked = m.find() ? RetryAfter.seconds(m.group(1), longestWait)
                : header != null ? RetryAfter.parse(header.trim(), longestWait) : null;
        return asked == null ? Duration.ofSeconds(1) : asked;
    }

    /**
     * A token from the vendor's token endpoint. When that endpoint is busy (429) the connection is held for
     * its Retry-After like any call, and the attempt fails as an I/O error, which the route retries.
     */
    private String token(java.util.function.Supplier<String> source) throws IOException {
        awaitGate(); // a busy token endpoint's Retry-After holds the next token request too
        try {
            return source.get();
        } catch (TokenEndpointBusyException busy) {
            refreshFailures.increment();
            gate.pauseFor(busy.retryAfter(longestWait));
            throw new IOException(vendor + " token endpoint answered 429");
        } catch (java.io.UncheckedIOException e) {
            refreshFailures.increment();
            throw e.getCause(); // a transient fault of the token endpoint: the route retries it
        } catch (RuntimeException e) {
            refreshFailures.increment();
            throw e;
        }
    }

    private ClassicHttpResponse send(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain, String token)
            throws IOException, org.apache.hc.core5.http.HttpException {
        request.setHeader("Authorization", "Bearer " + token);
        return chain.proceed(request, scope);
    }

    private void awaitGate() throws InterruptedIOException {
        try {
            String blocked = gate.awaitOpen();
            if (blocked != null) {
                throw new PausedByVendorException(blocked);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + vendor + " asked to wait");
        }
    }

    private static boolean repeatable(ClassicHttpRequest request) {
        HttpEntity entity = request.getEntity();
        return entity == null || entity.isRepeatable();
    }

    /** Reads the body so it can be both inspected here and reported by Camel. */
    private static String buffer(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return "";
        }
        byte[] bytes = EntityUtils.toByteArray(entity);
        ContentType type = entity.getContentType() == null ? ContentType.APPLICATION_JSON : ContentType.parse(entity.getContentType());
        response.setEntity(new ByteArrayEntity(bytes, type));
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A vendor's own timeout answer (iiko's 408): transient, retried like a dropped connection. */
    public static final class VendorTimeoutException extends IOException {
        VendorTimeoutException(String message) {
            super(message);
        }
    }
}
