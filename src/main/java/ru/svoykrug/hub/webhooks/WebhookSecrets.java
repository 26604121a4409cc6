package ru.svoykrug.hub.webhooks;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The secret in a connection's webhook address. Neither YCLIENTS nor amoCRM signs its notifications (each
 * calls a URL the account owner types in), so the address itself is the secret: 32 random bytes, shown
 * once when made, kept only as its SHA-256, compared in constant time.
 */
@Repository
public class WebhookSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcTemplate jdbc;

    WebhookSecrets(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A new secret for the connection (the old one stops working); the caller shows it once. */
    public String rotate(String connectionId) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.update("UPDATE ops.partner_connection SET webhook_secret_sha256 = ?, updated_at = now() WHERE id = ?",
                sha256(secret), connectionId);
        return secret;
    }

    /** Whether the connection takes webhooks and {@code secret} is its secret. */
    boolean matches(String connectionId, String secret) {
        List<String> stored = jdbc.queryForList("""
                SELECT webhook_secret_sha256 FROM ops.partner_connection
                 WHERE id = ? AND status <> 'DELETED' AND webhook_secret_sha256 IS NOT NULL""", String.class, connectionId);
        byte[] given = sha256(secret == null ? "" : secret).getBytes(StandardCharsets.US_ASCII);
        byte[] expected = stored.isEmpty() ? new byte[given.length] : stored.get(0).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, expected) && !stored.isEmpty();
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
