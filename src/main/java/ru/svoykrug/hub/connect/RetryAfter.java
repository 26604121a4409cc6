package ru.svoykrug.hub.connect;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs when a partner call fails, before Camel waits to redeliver: when the vendor said how long to
 * wait ({@code Retry-After} in seconds or as a date, or amoCRM's {@code retry_after} in the body), the
 * redelivery waits that long instead of the exponential back-off.
 */
@Component("retryAfter")
public class RetryAfter implements Processor {

    private static final Pattern BODY_RETRY_AFTER = Pattern.compile("\"retry_after\"\\s*:\\s*(\\d+)");
    static final Duration LONGEST = Duration.ofMinutes(10);

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getException();
        Duration wait = failure instanceof HttpOperationFailedException http ? retryAfter(http) : null;
        if (wait == null) {
            exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        } else {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, Math.min(wait.toMillis(), LONGEST.toMillis()));
        }
    }

    static Duration retryAfter(HttpOperationFailedException failure) {
        Map<String, String> headers = failure.getResponseHeaders();
        if (headers != null) {
            for (Map.Entry<String, String> header : headers.entrySet()) {
                if ("Retry-After".equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
                    return parse(header.getValue().trim());
                }
            }
        }
        String body = failure.getResponseBody();
        if (body != null) {
            Matcher m = BODY_RETRY_AFTER.matcher(body);
            if (m.find()) {
                return Duration.ofSeconds(Long.parseLong(m.group(1)));
            }
        }
        return null;
    }

    private static Duration parse(String value) {
        if (value.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
            return until.isNegative() ? Duration.ZERO : until;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
