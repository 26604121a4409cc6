package ru.svoykrug.hub.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import javax.crypto.SecretKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RememberingJwtDecoderTest {

    private static final String SECRET = Base64.getEncoder().encodeToString("a secret of the hub, 32 bytes at least".getBytes());
    private static final SecretKey KEY = HubSigningKey.fromBase64(SECRET, "the secret");

    private final MovableClock clock = new MovableClock(Instant.now());
    private final AtomicInteger checks = new AtomicInteger();

    /** The hub's own decoder, on the test's clock, counting the tokens it is asked to check. */
    private JwtDecoder counted() {
        NimbusJwtDecoder nimbus = NimbusJwtDecoder.withSecretKey(KEY).macAlgorithm(MacAlgorithm.HS256).build();
        var validator = new JwtTimestampValidator(Duration.ZERO);
        validator.setClock(clock);
        nimbus.setJwtValidator(validator);
        return token -> {
            checks.incrementAndGet();
            return nimbus.decode(token);
        };
    }

    @Test
    void aTokenCheckedOnceIsNotCheckedAgainUntilItEnds() {
        JwtDecoder decoder = new RememberingJwtDecoder(counted(), 100, Duration.ofMinutes(5), clock);
        String token = new TokenMinter(KEY, TokenClaims.HUB_ISSUER).customer(42, clock.instant(), Duration.ofMinutes(2));

        Jwt first = decoder.decode(token);
        Jwt second = decoder.decode(token);
        assertThat(second.getSubject()).isEqualTo("42").isEqualTo(first.getSubject());
        assertThat(checks).hasValue(1);

        clock.move(Duration.ofMinutes(2));
        assertThatThrownBy(() -> decoder.decode(token)).as("ended: checked again, and refused")
                .isInstanceOf(JwtValidationException.class);
        assertThat(checks).hasValue(2);
    }

    @Test
    void aTokenIsKeptNoLongerThanItsWhile() {
        JwtDecoder decoder = new RememberingJwtDecoder(counted(), 100, Duration.ofMinutes(5), clock);
        String token = new TokenMinter(KEY, TokenClaims.HUB_ISSUER).customer(42, clock.instant(), Duration.ofHours(1));
        decoder.decode(token);
        clock.move(Duration.ofMinutes(6));
        decoder.decode(token);
        assertThat(checks).as("checked afresh after five minutes").hasValue(2);
    }

    @Test
    void aTokenThatFailsIsNeverKeptNorIsOneChangedInItsSignature() {
        JwtDecoder decoder = new RememberingJwtDecoder(counted(), 100, Duration.ofMinutes(5), clock);
        String token = new TokenMinter(KEY, TokenClaims.HUB_ISSUER).customer(42, clock.instant(), Duration.ofHours(1));
        decoder.decode(token);
        String forged = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(BadJwtException.class);
        assertThat(checks).as("the forged token checked each time").hasValue(3);

        String other = TokenMinter.ofBase64Secret(Base64.getEncoder().encodeToString("another key of 32 bytes or more....".getBytes()))
                .customer(42, clock.instant(), Duration.ofHours(1));
        assertThatThrownBy(() -> decoder.decode(other)).isInstanceOf(BadJwtException.class);
    }

    @Test
    void aTokenNotYetValidIsNotKept() throws Exception {
        JwtDecoder decoder = new RememberingJwtDecoder(counted(), 100, Duration.ofMinutes(5), clock);
        SignedJWT early = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("42")
                .notBeforeTime(Date.from(clock.instant().plusSeconds(60))).expirationTime(Date.from(clock.instant().plusSeconds(3600)))
                .build());
        early.sign(new MACSigner(KEY));
        String token = early.serialize();
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtValidationException.class);
        clock.move(Duration.ofSeconds(61));
        assertThat(decoder.decode(token).getSubject()).isEqualTo("42");
        decoder.decode(token);
        assertThat(checks).as("refused early, then checked once").hasValue(2);
    }

    @Test
    void theHubsDecoderRemembersUnlessToldNot() {
        var keys = new TokenKeysConfiguration.HubKey(Optional.of(KEY), TokenClaims.HUB_ISSUER);
        assertThat(new TokenKeysConfiguration().jwtDecoder(new SecuritySettings(null, null, SECRET, null, null, null, null, null), keys))
                .isInstanceOf(RememberingJwtDecoder.class);
        assertThat(new TokenKeysConfiguration().jwtDecoder(new SecuritySettings(null, null, SECRET, null, null, null, 0, null), keys))
                .isInstanceOf(NimbusJwtDecoder.class);
        assertThatThrownBy(() -> new SecuritySettings(null, null, SECRET, null, null, null, -1, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
