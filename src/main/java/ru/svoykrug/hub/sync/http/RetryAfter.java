package ru.svoykrug.hub.sync.http;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import java.math.BigInteger;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs when a partner call fails, before Camel waits to redeliver: when the vendor said how long to
 * wait ({@code Retry-After} in seconds or as a date, or amoCRM's {@code retry_after} in the body), the
 * redelivery waits that long instead of the exponential back-off, but never longer than
 * {@code hub.sync.http.max-retry-after-seconds} (a vendor cannot park a sync for a day). A value too
 * large for any number is that longest wait; a malformed one is ignored (the back-off applies).
 *
 * <p>It also logs the failed attempt in the hub's words: the status and the address without its query,
 * never the vendor's answer (Camel's own retry log would print both).
 */
@Component("retryAfter")
@EnableConfigurationProperties(HttpRetryProperties.class)
public class RetryAfter implements Processor {

    private static final Logger log = LoggerFactory.getLogger(RetryAfter.class);
    private static final Pattern BODY_RETRY_AFTER = Pattern.compile("\"retry_after\"\\s*:\\s*\"?(\\d+)");

    private final Duration longest;

    public RetryAfter(HttpRetryProperties properties) {
        this.longest = properties.longestRetryAfter();
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getException();
        Duration wait = failure instanceof HttpOperationFailedException http ? retryAfter(http, longest) : null;
        if (wait == null) {
            exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        } else {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis());
            // the wait a vendor imposed, per route (sync-<connection>-<stream>), beside the rate limiter's own waits
            Timer.builder("hub.sync.retry.after.wait").tag("route", String.valueOf(exchange.getFromRouteId()))
                    .description("waits a partner's Retry-After imposed before a call was repeated")
                    .register(Metrics.globalRegistry).record(wait);
        }
        if (failure instanceof HttpOperationFailedException http) {
            log.warn("Partner call failed: HTTP {} from {}{}; retried while attempts remain", http.getStatusCode(), VendorAnswers.withoutQuery(http.getUri()),
                    wait == null ? "" : " after " + wait.toSeconds() + " s (the vendor's Retry-After)");
        } else if (failure != null) {
            log.warn("Partner call failed: {}; retried while attempts remain", failure.getClass().getSimpleName());
        }
    }

    /** How long the vendor asked to wait, at most {@code longest}; null when it did not say (or said nonsense). */
    static Duration retryAfter(HttpOperationFailedException failure, Duration longest) {
        Map<String, String> headers = failure.getResponseHeaders();
        if (headers != null) {
            for (Map.Entry<String, String> header : headers.entrySet()) {
                if ("Retry-After".equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
                    return parse(header.getValue().trim(), longest);
                }
            }
        }
        String body = failure.getResponseBody();
        if (body != null) {
            Matcher m = BODY_RETRY_AFTER.matcher(body);
            if (m.find()) {
                return seconds(m.group(1), longest);
            }
        }
        return null;
    }

    /** A {@code Retry-After} value: delay-seconds or an HTTP date; null when it is neither. */
    public static Duration parse(String value, Duration longest) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.chars().allMatch(Character::isDigit)) {
            return seconds(value, longest);
        }
        try {
            Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
            return until.isNegative() ? Duration.ZERO : min(until, longest);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Decimal seconds of any length, capped at {@code longest} without overflowing on the way. */
    public static Duration seconds(String digits, Duration longest) {
        BigInteger seconds = new BigInteger(digits);
        return seconds.compareTo(BigInteger.valueOf(longest.toSeconds())) >= 0 ? longest : Duration.ofSeconds(seconds.longValue());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
