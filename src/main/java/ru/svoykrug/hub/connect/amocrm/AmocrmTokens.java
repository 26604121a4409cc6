package ru.svoykrug.hub.connect.amocrm;

import org.springframework.context.ApplicationEventPublisher;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.sync.CredentialsRejectedException;
import ru.svoykrug.hub.sync.http.AccessTokens;
import ru.svoykrug.hub.sync.http.PartnerJson;
import ru.svoykrug.hub.sync.http.TokenEndpointBusyException;
import ru.svoykrug.hub.sync.http.VendorAnswers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The OAuth 2.0 tokens of one amoCRM connection. amoCRM rotates the refresh token on every refresh and
 * kills the old one once the new pair is used, so the new pair is stored (encrypted, committed) before
 * its access token goes out: a hub that dies in between still holds the old refresh token, which
 * amoCRM accepts again because its successor was never used.
 *
 * <p>Only one refresh of a connection runs at a time, in this hub (the monitor) and across hubs (a
 * PostgreSQL advisory lock); whoever waited re-reads the stored pair and uses it if it is newer than the
 * token it had. A connection may instead hold a long-lived token ({@code longLivedToken}), never refreshed.
 *
 * <p>A new connection needs no hand-made token pair: the partner's authorization code of the integration
 * ({@code authorizationCode}, valid 20 minutes, once) is exchanged for the first pair
 * ({@code grant_type=authorization_code}), and a refresh token alone is refreshed into a pair at the first
 * call. Nothing of amoCRM's answer but its status and error code reaches a message.
 */
final class AmocrmTokens implements AccessTokens {

    private static final Duration DEFAULT_REFRESH_AHEAD = Duration.ofHours(1);

    private final String connectionId;
    private final String oauthUrl;
    private final ConnectionRepository connections;
    private final DataSource dataSource;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Duration refreshAhead;
    private final HttpClient http = HttpClient.newBuilder()
            // HTTP/1.1 on purpose: otherwise the JDK client tries an h2c upgrade on plain-http servers (the simulators)
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private volatile Map<String, String> credentials;

    AmocrmTokens(String connectionId, String oauthUrl, ConnectionRepository connections, DataSource dataSource,
                 ApplicationEventPublisher events, Clock clock, Duration refreshAhead) {
        this.connectionId = connectionId;
        this.oauthUrl = oauthUrl;
        this.connections = connections;
        this.dataSource = dataSource;
        this.events = events;
        this.clock = clock;
        this.refreshAhead = refreshAhead == null ? DEFAULT_REFRESH_AHEAD : refreshAhead;
    }

    /** {@code https://x.amocrm.ru/api/v4} → {@code https://x.amocrm.ru/oauth2/access_token}. */
    static String oauthUrlOf(String apiBaseUrl) {
        String base = apiBaseUrl.endsWith("/api/v4") ? apiBaseUrl.substring(0, apiBaseUrl.length() - "/api/v4".length()) : apiBaseUrl;
        return base + "/oauth2/access_token";
    }

    @Override
    public String current() {
        Map<String, String> c = credentials();
        String longLived = c.get("longLivedToken");
        if (longLived != null && !longLived.isBlank()) {
            return longLived;
        }
        return due(c) ? refresh(c.get("accessToken")) : c.get("accessToken");
    }

    @Override
    public String renewAfterRejection(String rejected) {
        Map<String, String> c = credentials();
        if (c.get("longLivedToken") != null && !c.get("longLivedToken").isBlank()) {
            throw new CredentialsRejectedException("amoCRM rejected the long-lived token of " + connectionId
                    + ": the partner must issue a new one in the integration's settings");
        }
        return refresh(rejected);
    }

    private Map<String, String> credentials() {
        Map<String, String> c = credentials;
        if (c == null) {
            c = connections.credentials(connectionId);
            credentials = c;
        }
        return c;
    }

    /** Refreshes ahead of expiry: a third of the token's life before it ends, at most {@code refreshAhead}. */
    private boolean due(Map<String, String> c) {
        String access = c.get("accessToken");
        String expires = c.get("expiresAt");
        if (access == null || access.isBlank() || expires == null) {
            return true;
        }
        Instant expiresAt = Instant.parse(expires);
        Instant issuedAt = c.get("issuedAt") == null ? expiresAt.minus(Duration.ofDays(1)) : Instant.parse(c.get("issuedAt"));
        Duration third = Duration.between(issuedAt, expiresAt).dividedBy(3);
        Duration ahead = third.compareTo(refreshAhead) < 0 ? third : refreshAhead;
        return !clock.instant().isBefore(expiresAt.minus(ahead));
    }

    private synchronized String refresh(String stale) {
        try (Connection lock = dataSource.getConnection()) {
            advisory(lock, "pg_advisory_lock");
            try {
                Map<String, String> stored = connections.credentials(connectionId);
                if (stored.get("accessToken") != null && !stored.get("accessToken").equals(stale) && !due(stored)) {
                    credentials = stored; // another thread or hub refreshed while this one waited
                    return stored.get("accessToken");
                }
                Map<String, String> rotated = rotate(stored);
                events.publishEvent(new AmocrmTokenPairReceived(connectionId));
                connections.replaceCredentials(connectionId, rotated);
                credentials = rotated;
                return rotated.get("accessToken");
            } finally {
                advisory(lock, "pg_advisory_unlock");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot lock the token refresh of " + connectionId + ": " + e.getMessage(), e);
        }
    }

    private Map<String, String> rotate(Map<String, String> stored) {
        String refreshToken = stored.get("refreshToken");
        String code = stored.get("authorizationCode");
        boolean exchange = (refreshToken == null || refreshToken.isBlank()) && code != null && !code.isBlank();
        if ((refreshToken == null || refreshToken.isBlank()) && !exchange) {
            throw new CredentialsRejectedException("amoCRM connection " + connectionId
                    + " has no refresh token nor authorization code: the partner must re-authorise the hub's integration in amoCRM");
        }
        ObjectNode body = PartnerJson.MAPPER.createObjectNode()
                .put("client_id", stored.get("clientId"))
                .put("client_secret", stored.get("clientSecret"));
        if (exchange) {
            body.put("grant_type", "authorization_code").put("code", code.trim());
        } else {
            body.put("grant_type", "refresh_token").put("refresh_token", refreshToken);
        }
        body.put("redirect_uri", stored.get("redirectUri"));
        Instant requestedAt = clock.instant();
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(oauthUrl))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(PartnerJson.MAPPER.writeValueAsString(body)))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("amoCRM token refresh failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted during the amoCRM token refresh"));
        }
        int status = response.statusCode();
        if (status == 400 || status == 401) {
            String answer = VendorAnswers.describe(status, response.body());
            throw new CredentialsRejectedException(exchange
                    ? "amoCRM refused the authorization code (" + answer + "): a code works once and for 20 minutes; "
                    + "the partner must re-authorise the hub's integration in amoCRM and give the new code"
                    : "amoCRM refused the refresh token (" + answer + "): the partner must re-authorise the hub's integration in amoCRM");
        }
        if (status == 429) {
            throw new TokenEndpointBusyException("amoCRM", response.headers().firstValue("Retry-After").orElse(null));
        }
        if (status != 200) {
            throw new UncheckedIOException(new IOException("amoCRM token endpoint answered HTTP " + status));
        }
        JsonNode pair = parse(response.body());
        if (!pair.path("access_token").isString() || !pair.path("refresh_token").isString()) {
            throw new UncheckedIOException(new IOException("amoCRM token refresh answered without a token pair"));
        }
        Map<String, String> rotated = new HashMap<>(stored);
        rotated.put("accessToken", pair.path("access_token").asString());
        rotated.put("refreshToken", pair.path("refresh_token").asString());
        rotated.put("issuedAt", requestedAt.toString());
        rotated.put("expiresAt", requestedAt.plusSeconds(pair.path("expires_in").asLong(86_400)).toString());
        rotated.remove("authorizationCode"); // used up: amoCRM accepts a code once
        return Map.copyOf(rotated);
    }

    private static JsonNode parse(String body) {
        try {
            return PartnerJson.MAPPER.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (RuntimeException e) {
            return PartnerJson.MAPPER.createObjectNode();
        }
    }

    private void advisory(Connection connection, String function) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + function + "(hashtext('hub-token:' || ?))")) {
            ps.setString(1, connectionId);
            ps.execute();
        }
    }
}
