package ru.svoykrug.hub.sync.http;

import java.time.Duration;

/** A vendor's token endpoint answered 429: no token now, try again after its Retry-After (capped). */
public final class TokenEndpointBusyException extends RuntimeException {

    private final String retryAfter;

    /** @param retryAfter the vendor's {@code Retry-After} header, or null */
    public TokenEndpointBusyException(String vendor, String retryAfter) {
        super(vendor + " token endpoint answered 429", null, false, false);
        this.retryAfter = retryAfter;
    }

    Duration retryAfter(Duration longest) {
        Duration asked = retryAfter == null ? null : RetryAfter.parse(retryAfter.trim(), longest);
        return asked == null ? Duration.ofSeconds(1) : asked;
    }
}
