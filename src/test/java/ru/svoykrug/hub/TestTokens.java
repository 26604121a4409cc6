package ru.svoykrug.hub;

import ru.svoykrug.hub.security.Role;
import ru.svoykrug.hub.security.TokenMinter;

import java.time.Duration;
import java.time.Instant;

/**
 * Tokens of the hub's contract for tests, signed with the secret every {@link HubIntegrationTest} hub
 * checks tokens with ({@code hub.security.hmac-secret} = {@link #SECRET}). Use as
 * {@code .header("Authorization", TestTokens.bearer(TestTokens.ops()))}.
 */
public final class TestTokens {

    /** base64 of 32 bytes; a test secret, nothing else is signed with it */
    public static final String SECRET = "dGVzdC1zZWNyZXQtb2YtdGhlLWh1Yi1zaWduaW5nLWtleSE=";
    /** signed with another key: the hub must refuse every token of it */
    private static final String FORGER = "Zm9yZ2VkLXNlY3JldC1ub3QtdGhlLWh1YnMta2V5LTEyMzQ=";
    private static final Duration HOUR = Duration.ofHours(1);

    private static final TokenMinter HUB = TokenMinter.ofBase64Secret(SECRET);

    private TestTokens() {
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    public static String ops() {
        return HUB.ops("ops-test", Instant.now(), HOUR);
    }

    /** An ops user with the medical grant (roles OPS and MEDICAL). */
    public static String opsMedical() {
        return HUB.opsMedical("ops-medical-test", Instant.now(), HOUR);
    }

    public static String partner(String partnerId) {
        return HUB.partner(partnerId, Instant.now(), HOUR);
    }

    public static String customer(long customerId) {
        return HUB.customer(customerId, Instant.now(), HOUR);
    }

    /** Any token of the contract, signed with the hub's test key. */
    public static String of(String subject, String partner, Role... roles) {
        return HUB.mint(subject, partner, Instant.now(), HOUR, roles);
    }

    /** An OPS token that expired two hours ago (well past any clock skew allowed). */
    public static String expiredOps() {
        return HUB.ops("ops-test", Instant.now().minus(Duration.ofHours(3)), HOUR);
    }

    /** An OPS token in the right shape, signed with a key that is not the hub's. */
    public static String forgedOps() {
        return TokenMinter.ofBase64Secret(FORGER).ops("ops-test", Instant.now(), HOUR);
    }
}
