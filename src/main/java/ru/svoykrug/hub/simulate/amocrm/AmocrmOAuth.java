package ru.svoykrug.hub.simulate.amocrm;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import ru.svoykrug.hub.simulate.amocrm.AmocrmSimulator.TokenPair;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static ru.svoykrug.hub.simulate.amocrm.AmocrmBodies.oauthError;
import static ru.svoykrug.hub.simulate.amocrm.AmocrmBodies.problem;
import static ru.svoykrug.hub.simulate.amocrm.AmocrmSimulator.CLIENT_ID;
import static ru.svoykrug.hub.simulate.amocrm.AmocrmSimulator.CLIENT_SECRET;
import static ru.svoykrug.hub.simulate.amocrm.AmocrmSimulator.LONG_LIVED_TOKEN;
import static ru.svoykrug.hub.simulate.amocrm.AmocrmSimulator.REDIRECT_URI;
import static ru.svoykrug.hub.simulate.kit.Answers.JSON;
import static ru.svoykrug.hub.simulate.kit.Answers.NODES;
import static ru.svoykrug.hub.simulate.kit.Answers.json;

/**
 * The OAuth 2.0 of an amoCRM integration: authorization codes good once for 20 minutes, access tokens
 * that expire, and refresh tokens that rotate on every refresh. The old refresh token stays good until
 * its successor pair is used (the vendor's grace for answers lost in transit), and is revoked after.
 */
final class AmocrmOAuth {

    private volatile Duration accessTokenTtl = Duration.ofDays(1);
    private final Map<String, Long> accessExpiresAtNanos = new HashMap<>();
    private final Map<String, RefreshToken> refreshTokens = new HashMap<>();
    private final Map<String, Long> authorizationCodes = new HashMap<>();
    private final Map<String, String> predecessorOf = new HashMap<>();
    private final Runnable onIssue;

    private static final class RefreshToken {
        boolean alive = true;
        String successorAccess;
        String successorRefresh;
    }

    /** {@code onIssue} is told of every pair handed out through the token endpoint. */
    AmocrmOAuth(Runnable onIssue) {
        this.onIssue = onIssue;
    }

    synchronized TokenPair authorise() {
        return issue();
    }

    synchronized String authorizationCode() {
        String code = "def50200" + UUID.randomUUID().toString().replace("-", "");
        authorizationCodes.put(code, System.nanoTime() + Duration.ofMinutes(20).toNanos());
        return code;
    }

    private TokenPair issue() {
        String access = "access-" + UUID.randomUUID();
        String refresh = "refresh-" + UUID.randomUUID();
        accessExpiresAtNanos.put(access, System.nanoTime() + accessTokenTtl.toNanos());
        refreshTokens.put(refresh, new RefreshToken());
        return new TokenPair(access, refresh, accessTokenTtl.toSeconds());
    }

    void accessTokenTtl(Duration ttl) {
        this.accessTokenTtl = ttl;
    }

    synchronized void expireAccessTokens() {
        accessExpiresAtNanos.replaceAll((token, at) -> System.nanoTime() - 1);
    }

    synchronized void revokeIntegration() {
        refreshTokens.values().forEach(r -> r.alive = false);
        expireAccessTokens();
    }

    synchronized boolean accessValid(String token) {
        if (LONG_LIVED_TOKEN.equals(token)) {
            return true;
        }
        Long expires = accessExpiresAtNanos.get(token);
        if (expires == null || System.nanoTime() - expires >= 0) {
            return false;
        }
        retirePredecessor(token);
        return true;
    }

    /** The first use of a new pair kills the refresh token it replaced. */
    private void retirePredecessor(String newToken) {
        String old = predecessorOf.remove(newToken);
        if (old != null) {
            RefreshToken r = refreshTokens.get(old);
            if (r != null) {
                r.alive = false;
                predecessorOf.remove(r.successorAccess);
                predecessorOf.remove(r.successorRefresh);
            }
        }
    }

    /** {@code POST /oauth2/access_token}: an authorization code or a refresh token for a new pair. */
    synchronized ResponseDefinition tokenEndpoint(Request request) {
        JsonNode body;
        try {
            body = JSON.readTree(request.getBodyAsString());
        } catch (RuntimeException e) {
            return problem(400, "Bad Request", "Body is not JSON");
        }
        if (!CLIENT_ID.equals(body.path("client_id").asString("")) || !CLIENT_SECRET.equals(body.path("client_secret").asString(""))) {
            return oauthError(401, "Client authentication failed");
        }
        String grant = body.path("grant_type").asString("");
        if ("authorization_code".equals(grant)) {
            Long until = authorizationCodes.remove(body.path("code").asString(""));
            if (until == null || System.nanoTime() - until > 0) {
                return oauthError(400, "Authorization code has been revoked");
            }
            if (!REDIRECT_URI.equals(body.path("redirect_uri").asString(""))) {
                return oauthError(400, "Redirect URI does not match");
            }
            return issued(issue());
        }
        if (!"refresh_token".equals(grant)) {
            return oauthError(400, "Unsupported grant type");
        }
        String used = body.path("refresh_token").asString("");
        RefreshToken token = refreshTokens.get(used);
        if (token == null || !token.alive) {
            return oauthError(400, "Token has been revoked");
        }
        retirePredecessor(used);
        if (token.successorAccess != null) {
            // the previous answer to this token was lost in transit: that pair is void, a new one replaces it
            accessExpiresAtNanos.remove(token.successorAccess);
            refreshTokens.remove(token.successorRefresh);
            predecessorOf.remove(token.successorAccess);
            predecessorOf.remove(token.successorRefresh);
        }
        TokenPair pair = issue();
        token.successorAccess = pair.accessToken();
        token.successorRefresh = pair.refreshToken();
        predecessorOf.put(pair.accessToken(), used);
        predecessorOf.put(pair.refreshToken(), used);
        return issued(pair);
    }

    private ResponseDefinition issued(TokenPair pair) {
        onIssue.run();
        ObjectNode answer = NODES.objectNode().put("token_type", "Bearer").put("expires_in", pair.expiresIn())
                .put("access_token", pair.accessToken()).put("refresh_token", pair.refreshToken());
        return json(200, answer);
    }
}
