package ru.svoykrug.hub.connect.iiko;

import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.sync.CredentialsRejectedException;
import ru.svoykrug.hub.sync.http.AccessTokens;
import ru.svoykrug.hub.sync.http.PartnerJson;
import ru.svoykrug.hub.sync.http.TokenEndpointBusyException;
import ru.svoykrug.hub.sync.http.VendorAnswers;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The bearer token of one iiko connection. iiko has no refresh: {@code POST /api/1/access_token} with the
 * connection's {@code apiLogin} gives a token for about an hour, so a new one is asked for a while before
 * that (a sixth of its life ahead, at most ten minutes) and after a 401. Nothing is stored: the apiLogin
 * is the lasting credential, and a token lost with a hub that dies costs one call.
 */
final class IikoTokens implements AccessTokens {

    private final String connectionId;
    private final String tokenUrl;
    private final ConnectionRepository connections;
    private final Clock clock;
    private final Duration lifetime;
    private final HttpClient http = HttpClient.newBuilder()
            // HTTP/1.1 on purpose: otherwise the JDK client tries an h2c upgrade on plain-http servers (the simulators)
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private String token;
    private Instant renewAt = Instant.MIN;

    IikoTokens(String connectionId, String apiBaseUrl, ConnectionRepository connections, Clock clock, Duration lifetime) {
        this.connectionId = connectionId;
        this.tokenUrl = apiBaseUrl + "/api/1/access_token";
        this.connections = connections;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    @Override
    public synchronized String current() {
        if (token == null || !clock.instant().isBefore(renewAt)) {
            fetch();
        }
        return token;
    }

    @Override
    public synchronized String renewAfterRejection(String rejected) {
        if (token == null || token.equals(rejected)) {
            fetch();
        }
        return token;
    }

    private void fetch() {
        String apiLogin = connections.credentials(connectionId).get("apiLogin");
        if (apiLogin == null || apiLogin.isBlank()) {
            throw new CredentialsRejectedException("iiko connection " + connectionId + " has no apiLogin");
        }
        Instant asked = clock.instant();
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(tokenUrl))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(PartnerJson.MAPPER.writeValueAsString(
                            PartnerJson.MAPPER.createObjectNode().put("apiLogin", apiLogin))))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("iiko access_token failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while asking iiko for a token"));
        }
        // iiko's errorDescription echoes the apiLogin it refused: only the status and error code are repeated
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new CredentialsRejectedException("iiko refused the apiLogin (" + VendorAnswers.describe(response.statusCode(),
                    response.body()) + "): the partner must issue a new API login in iikoWeb");
        }
        if (response.statusCode() == 429) {
            throw new TokenEndpointBusyException("iiko", response.headers().firstValue("Retry-After").orElse(null));
        }
        if (response.statusCode() != 200) {
            throw new UncheckedIOException(new IOException("iiko access_token answered "
                    + VendorAnswers.describe(response.statusCode(), response.body())));
        }
        JsonNode body = PartnerJson.MAPPER.readTree(response.body());
        if (!body.path("token").isString()) {
            throw new UncheckedIOException(new IOException("iiko access_token answered without a token"));
        }
        Duration ahead = lifetime.dividedBy(6).compareTo(Duration.ofMinutes(10)) < 0 ? lifetime.dividedBy(6) : Duration.ofMinutes(10);
        token = body.path("token").asString();
        renewAt = asked.plus(lifetime).minus(ahead);
    }
}
