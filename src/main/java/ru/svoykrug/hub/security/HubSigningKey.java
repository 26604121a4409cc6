package ru.svoykrug.hub.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.svoykrug.hub.infra.HubProperties;
import ru.svoykrug.hub.infra.OwnerOnlyFiles;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The HMAC-SHA256 key the hub signs and checks its own tokens with: the configured secret, or on the
 * embedded default a random key made once in {@code data/token-signing-key} (owner-only). With an external
 * database every node must check the same tokens, so a key of one node's folder is refused there.
 */
final class HubSigningKey {

    static final String FILE_NAME = "token-signing-key";
    private static final Logger log = LoggerFactory.getLogger(HubSigningKey.class);
    private static final int MIN_BYTES = 32;

    private HubSigningKey() {
    }

    static SecretKey of(SecuritySettings settings, HubProperties hub) {
        if (settings.hmacSecret() != null) {
            return fromBase64(settings.hmacSecret(), "hub.security.hmac-secret");
        }
        if (!hub.embeddedDatabase()) {
            throw new IllegalStateException("No key to check tokens with: with an external database set "
                    + "HUB_SECURITY_JWK_SET_URI, HUB_SECURITY_PUBLIC_KEY_FILE or HUB_SECURITY_HMAC_SECRET "
                    + "(base64 of at least 32 random bytes, the same on every node)");
        }
        Path file = hub.dataDir().resolve(FILE_NAME);
        try {
            if (OwnerOnlyFiles.createIfAbsent(file, newSecret())) {
                log.info("Generated the hub's token signing key in {}", file.toAbsolutePath().normalize());
            }
            if (OwnerOnlyFiles.openToOthers(file)) {
                throw new IllegalStateException("The token signing key " + file + " is readable by others than its owner: "
                        + "chmod 600 it (or remove it to make a new one, which ends every token signed with it)");
            }
            return fromBase64(Files.readString(file).trim(), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or make the token signing key " + file, e);
        }
    }

    static SecretKey fromBase64(String secret, String where) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(secret.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is not base64");
        }
        if (bytes.length < MIN_BYTES) {
            throw new IllegalStateException(where + " has " + bytes.length + " bytes; HMAC-SHA256 needs at least " + MIN_BYTES);
        }
        return new SecretKeySpec(bytes, "HmacSHA256");
    }

    /** A new random secret, base64 (also what {@code hub.jar new-token-secret} could print). */
    static String newSecret() {
        byte[] bytes = new byte[MIN_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
