package ru.svoykrug.hub.connect.yclients;

import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.sync.CredentialsRejectedException;
import ru.svoykrug.hub.sync.VendorErrorException;
import ru.svoykrug.hub.sync.http.PartnerJson;
import ru.svoykrug.hub.sync.http.VendorAnswers;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The user token of a YCLIENTS connection. A partner may give the hub a user's login and password
 * instead of a user token: the first call of the connection exchanges them for the token
 * ({@code POST /auth}, with the partner token), which is stored encrypted with the connection's other
 * credentials; the password is then dropped, the token being what YCLIENTS wants on every call. Streams
 * that start side by side wait for one exchange and use its token.
 */
final class YclientsUserTokens {

    private final ConnectionRepository connections;
    private final HttpClient http = HttpClient.newBuilder()
            // HTTP/1.1 on purpose: otherwise the JDK client tries an h2c upgrade on plain-http servers (the simulators)
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    YclientsUserTokens(ConnectionRepository connections) {
        this.connections = connections;
    }

    /** The stored user token, or one obtained now from the stored login and password. */
    String userToken(String connectionId, String baseUrl, Map<String, String> known) {
        String token = known.get("userToken");
        return token != null && !token.isBlank() ? token : obtain(connectionId, baseUrl);
    }

    private synchronized String obtain(String connectionId, String baseUrl) {
        String token;
        Map<String, String> stored = connections.credentials(connectionId);
        token = stored.get("userToken");
        if (token != null && !token.isBlank()) {
            return token; // another stream logged in meanwhile
        }
        String login = stored.get("login");
        String password = stored.get("password");
        if (login == null || login.isBlank() || password == null || password.isBlank()) {
            throw new CredentialsRejectedException("YCLIENTS connection " + connectionId
                    + " has neither a userToken nor a login and password to obtain one");
        }
        token = login(connectionId, baseUrl, stored.get("partnerToken"), login, password);
        Map<String, String> next = new HashMap<>(stored);
        next.put("userToken", token);
        next.remove("password");
        connections.replaceCredentials(connectionId, next);
        return token;
    }

    private String login(String connectionId, String baseUrl, String partnerToken, String login, String password) {
        if (partnerToken == null || partnerToken.isBlank()) {
            throw new CredentialsRejectedException("YCLIENTS connection " + connectionId + " has no partnerToken");
        }
        String body = PartnerJson.MAPPER.writeValueAsString(PartnerJson.MAPPER.createObjectNode()
                .put("login", login).put("password", password));
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/auth"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/vnd.yclients.v2+json")
                    .header("Authorization", "Bearer " + partnerToken)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("YCLIENTS /auth failed: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted during the YCLIENTS login"));
        }
        int status = response.statusCode();
        if (status == 401 || status == 403 || status == 422) {
            throw new CredentialsRejectedException("YCLIENTS refused the login and password (HTTP " + status
                    + "): the partner must give the hub a valid user's login and password, or a user token");
        }
        if (status != 200 && status != 201) {
            throw new VendorErrorException("YCLIENTS /auth answered " + VendorAnswers.describe(status, response.body()));
        }
        JsonNode token = PartnerJson.MAPPER.readTree(response.body()).path("data").path("user_token");
        if (!token.isString() || token.asString().isBlank()) {
            throw new VendorErrorException("YCLIENTS /auth answered without data.user_token");
        }
        return token.asString();
    }
}
