package ru.svoykrug.hub.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Tokens already checked, kept by their exact text until they end or for {@code hub.security.remember-tokens-for}
 * at most (five minutes; {@code hub.security.remembered-tokens}, 20,000 by default, bounds how many: about 1.4 kB
 * each, the token's text included). A mobile app sends one token with every request, and parsing, verifying and
 * converting it anew was about a tenth of the hub's CPU on {@code GET /customers/me} (BENCHMARKS.md). Only a token
 * that passed the decoder is kept, under its whole text, signature included, so a token differing in one character
 * is checked afresh, and so is one that has ended (the decoder, with its minute of clock skew, decides). What
 * keeping costs: a token signed by a key the identity provider has since withdrawn stays accepted that while.
 */
final class RememberingJwtDecoder implements JwtDecoder {

    private final JwtDecoder decoder;
    private final Cache<String, Kept> checked;
    private final Duration keptFor;
    private final Clock clock;

    RememberingJwtDecoder(JwtDecoder decoder, long tokens, Duration keptFor, Clock clock) {
        this.decoder = decoder;
        this.keptFor = keptFor;
        this.clock = clock;
        // (the cache's own expiry frees the memory; whether a kept token still counts is read on the clock)
        this.checked = Caffeine.newBuilder().maximumSize(tokens).expireAfterWrite(keptFor).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Instant now = clock.instant();
        Kept kept = checked.getIfPresent(token);
        if (kept != null && kept.counts(now)) {
            return kept.jwt();
        }
        // (a kept token that no longer counts is replaced here, or left to the cache's expiry: it never counts again)
        Jwt jwt = decoder.decode(token);
        Kept checkedNow = new Kept(jwt, now.plus(keptFor));
        if (checkedNow.counts(now)) {
            checked.put(token, checkedNow);
        }
        return jwt;
    }

    /** A token that passed, until when it is kept: within its time by the clock the decoder's own validator reads. */
    private record Kept(Jwt jwt, Instant until) {
        boolean counts(Instant now) {
            return jwt.getExpiresAt() != null && now.isBefore(jwt.getExpiresAt()) && now.isBefore(until)
                    && (jwt.getNotBefore() == null || !now.isBefore(jwt.getNotBefore()));
        }
    }
}
