package ru.svoykrug.hub.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import javax.crypto.SecretKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Signs tokens of the hub's contract with an HMAC-SHA256 key: the demo tokens, and the tests' tokens.
 * A real deployment's tokens come from its identity provider.
 */
public final class TokenMinter {

    private final NimbusJwtEncoder encoder;
    private final String issuer;

    public TokenMinter(SecretKey key, String issuer) {
        this.encoder = new NimbusJwtEncoder(new ImmutableSecret<>(key));
        this.issuer = issuer;
    }

    public static TokenMinter ofBase64Secret(String secret) {
        return new TokenMinter(HubSigningKey.fromBase64(secret, "the secret"), TokenClaims.HUB_ISSUER);
    }

    public String ops(String subject, Instant now, Duration lifetime) {
        return mint(subject, null, now, lifetime, Role.OPS);
    }

    /** An ops user with the medical grant ({@link Role#MEDICAL}): sees medical partners' figures too. */
    public String opsMedical(String subject, Instant now, Duration lifetime) {
        return mint(subject, null, now, lifetime, Role.OPS, Role.MEDICAL);
    }

    public String partner(String partnerId, Instant now, Duration lifetime) {
        return mint("partner:" + partnerId, partnerId, now, lifetime, Role.PARTNER);
    }

    public String customer(long customerId, Instant now, Duration lifetime) {
        return mint(Long.toString(customerId), null, now, lifetime, Role.CUSTOMER);
    }

    /** Any token of the contract; {@code partner} null for none. */
    public String mint(String subject, String partner, Instant now, Duration lifetime, Role... roles) {
        List<String> names = Arrays.stream(roles).map(Role::name).toList();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .subject(subject)
                .issuer(issuer)
                .issuedAt(now)
                .expiresAt(now.plus(lifetime))
                .claim(TokenClaims.ROLES, names);
        if (partner != null) {
            claims.claim(TokenClaims.PARTNER, partner);
        }
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).type("JWT").build();
        return encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
    }
}
