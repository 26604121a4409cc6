package ru.svoykrug.hub.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import ru.svoykrug.hub.infra.HubProperties;

import javax.crypto.SecretKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The token checker from configuration ({@link SecuritySettings}), and the hub's own signer where it holds the key. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(SecuritySettings.class)
class TokenKeysConfiguration {

    /** The hub's own HMAC key; empty when tokens come from an identity provider (JWK set or public key). */
    @Bean
    HubKey hubKey(SecuritySettings settings, HubProperties hub) {
        return new HubKey(settings.hubSigned() ? Optional.of(HubSigningKey.of(settings, hub)) : Optional.empty(),
                settings.issuer() == null ? TokenClaims.HUB_ISSUER : settings.issuer());
    }

    @Bean
    JwtDecoder jwtDecoder(SecuritySettings settings, HubKey hubKey) {
        NimbusJwtDecoder decoder;
        String issuer = settings.issuer();
        if (settings.jwkSetUri() != null) {
            decoder = NimbusJwtDecoder.withJwkSetUri(settings.jwkSetUri()).build();
        } else if (settings.publicKeyFile() != null) {
            decoder = NimbusJwtDecoder.withPublicKey(rsaPublicKey(settings)).build();
        } else {
            decoder = NimbusJwtDecoder.withSecretKey(hubKey.key().orElseThrow()).macAlgorithm(MacAlgorithm.HS256).build();
            issuer = issuer == null ? TokenClaims.HUB_ISSUER : issuer;
        }
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(issuer == null ? JwtValidators.createDefault() : JwtValidators.createDefaultWithIssuer(issuer));
        // a token without an end is refused: a leaked one would open the door for ever
        validators.add(new JwtClaimValidator<>(JwtClaimNames.EXP, Objects::nonNull));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        if (settings.rememberedTokens() == 0 || settings.rememberTokensFor().isZero()) {
            return decoder;
        }
        // the system clock, as the decoder's timestamp validator reads it
        return new RememberingJwtDecoder(decoder, settings.rememberedTokens(), settings.rememberTokensFor(), Clock.systemUTC());
    }

    private static RSAPublicKey rsaPublicKey(SecuritySettings settings) {
        try {
            String pem = Files.readString(settings.publicKeyFile())
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read hub.security.public-key-file " + settings.publicKeyFile(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("hub.security.public-key-file " + settings.publicKeyFile()
                    + " is not an RSA public key in PEM (-----BEGIN PUBLIC KEY-----)");
        }
    }

    record HubKey(Optional<SecretKey> key, String issuer) {
        /** The signer of the hub's own tokens (the demo's), where the hub holds the key. */
        Optional<TokenMinter> minter() {
            return key.map(k -> new TokenMinter(k, issuer));
        }
    }
}
