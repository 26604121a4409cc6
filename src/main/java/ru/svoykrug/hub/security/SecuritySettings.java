package ru.svoykrug.hub.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the keys that check tokens come from ({@code hub.security.*}), first that is set wins: a JWK set
 * URI of an identity provider ({@code HUB_SECURITY_JWK_SET_URI}), an RSA public key in a PEM file
 * ({@code HUB_SECURITY_PUBLIC_KEY_FILE}), a shared HMAC secret, base64 of at least 32 bytes
 * ({@code HUB_SECURITY_HMAC_SECRET}); else, on the embedded default only, the hub's own key, made once in
 * its data folder. {@code issuer}, when set, must be every token's {@code iss} ({@code svoy-krug-hub} for
 * the hub's own key or secret). {@code demoTokens}: write {@code data/demo-tokens.json} (default: on the
 * embedded default); {@code demoTokenLifetime}: how long those stay valid. {@code rememberedTokens} (20,000;
 * 0 checks every request's token anew) and {@code rememberTokensFor} (5 minutes): how many tokens already checked
 * are kept, and how long at most ({@link RememberingJwtDecoder}).
 */
@ConfigurationProperties(prefix = "hub.security")
public record SecuritySettings(String jwkSetUri, Path publicKeyFile, String hmacSecret, String issuer,
                               Boolean demoTokens, Duration demoTokenLifetime, Integer rememberedTokens,
                               Duration rememberTokensFor) {

    public SecuritySettings {
        jwkSetUri = blankToNull(jwkSetUri);
        hmacSecret = blankToNull(hmacSecret);
        issuer = blankToNull(issuer);
        demoTokenLifetime = demoTokenLifetime == null ? Duration.ofDays(30) : demoTokenLifetime;
        rememberedTokens = rememberedTokens == null ? 20_000 : rememberedTokens;
        rememberTokensFor = rememberTokensFor == null ? Duration.ofMinutes(5) : rememberTokensFor;
        if (rememberedTokens < 0 || rememberTokensFor.isNegative()) {
            throw new IllegalArgumentException("hub.security.remembered-tokens and remember-tokens-for cannot be negative");
        }
    }

    /** Whether the hub checks tokens with a key it holds itself (and so can sign tokens, the demo's). */
    boolean hubSigned() {
        return jwkSetUri == null && publicKeyFile == null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
