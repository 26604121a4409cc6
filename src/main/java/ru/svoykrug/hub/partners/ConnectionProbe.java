package ru.svoykrug.hub.partners;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.sync.Connector;
import ru.svoykrug.hub.sync.Connectors;
import ru.svoykrug.hub.sync.CredentialsRejectedException;
import ru.svoykrug.hub.sync.Page;
import ru.svoykrug.hub.sync.PartnerAnswer;
import ru.svoykrug.hub.sync.PartnerRequest;
import ru.svoykrug.hub.sync.StreamCursor;
import ru.svoykrug.hub.sync.StreamDescriptor;
import ru.svoykrug.hub.sync.StreamReader;
import ru.svoykrug.hub.sync.StreamSync;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * "Does this connection work?": signs in and reads one small page of the system's first stream through
 * the real connector (its auth, its request, its mapping), writing nothing, and says what came of it in
 * plain words with the vendor's HTTP status, never its answer's body.
 */
@Component
class ConnectionProbe {

    private static final int SMALL_PAGE = 5;

    private final Connectors connectors;
    private final Clock clock;

    ConnectionProbe(Connectors connectors, Clock clock) {
        this.connectors = connectors;
        this.clock = clock;
    }

    record Outcome(boolean ok, String outcome, Integer vendorStatus, String message) {
    }

    Outcome probe(String id, String partnerName, String system, ZoneId zone, boolean medical, Map<String, String> settings,
                  Map<String, String> credentials) {
        if ("file".equals(system)) {
            return new Outcome(true, "NOTHING_TO_TEST", null, "A file connection has no system to sign in to");
        }
        Map<String, String> small = new HashMap<>(settings);
        small.put("pageSize", Integer.toString(SMALL_PAGE));
        PartnerConnection c = new PartnerConnection(id, partnerName, system, zone, medical, "0 0 3 1 1 ? 2099", small,
                ConnectionStatus.ACTIVE, null);
        Connector connector = connectors.get(system);
        StreamDescriptor descriptor = connectors.descriptor(system);
        String apiRoot = connector.apiRoot(c.requiredSetting("baseUrl"));
        String stream = descriptor.streamNames().get(0);
        HttpClientBuilder builder = HttpClientBuilder.create().disableAutomaticRetries();
        try {
            connector.httpClient(c, descriptor.limits(c), apiRoot).configureHttpClient(builder);
            StreamSync sync = new StreamSync(0, c, credentials, stream, StreamCursor.initial(), clock.instant(), descriptor, apiRoot);
            StreamReader reader = connector.reader(sync);
            PartnerRequest request = reader.next();
            try (CloseableHttpClient http = builder.build()) {
                HttpUriRequestBase call = new HttpUriRequestBase(descriptor.requester().method(), uri(request, descriptor, c, stream, apiRoot));
                descriptor.requester().headers().forEach(call::setHeader);
                request.headers().forEach(call::setHeader);
                if (request.body() != null) {
                    call.setEntity(new StringEntity(request.body(), StandardCharsets.UTF_8));
                }
                return http.execute(call, response -> {
                    int status = response.getCode();
                    byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
                    return answer(status, reader, body);
                });
            }
        } catch (CredentialsRejectedException e) {
            return new Outcome(false, "CREDENTIALS_REJECTED", null, "The system refused the credentials");
        } catch (IOException e) {
            return new Outcome(false, "UNREACHABLE", null, "The system could not be reached at its address");
        } catch (RuntimeException e) {
            return new Outcome(false, "UNREACHABLE", null, "The system could not be asked: " + e.getClass().getSimpleName());
        }
    }

    private static Outcome answer(int status, StreamReader reader, byte[] body) {
        if (status == 401) {
            return new Outcome(false, "CREDENTIALS_REJECTED", status, "The system refused the credentials (HTTP 401)");
        }
        if (status == 403) {
            return new Outcome(false, "ACCESS_REFUSED", status, "The system let the credentials in but not to this account: "
                    + "check the company, organization or clinic id, and the rights of the user (HTTP 403)");
        }
        if (status == 404) {
            return new Outcome(false, "NOT_FOUND", status,
                    "The system does not know the account asked for: check the company, organization or clinic id and the address (HTTP 404)");
        }
        if (status == 429) {
            return new Outcome(false, "RATE_LIMITED", status, "The system asks to slow down; try again in a minute (HTTP 429)");
        }
        if (status >= 300) {
            return new Outcome(false, "VENDOR_ERROR", status, "The system answered with an error (HTTP " + status + ")");
        }
        try {
            Page page = reader.read(new PartnerAnswer(status, new ByteArrayInputStream(body)));
            long rows = page.rows().sales.size() + page.rows().customers.size() + page.rows().payments.size();
            return new Outcome(true, "OK", status, "Signed in and read a page (" + rows + " record(s))");
        } catch (CredentialsRejectedException e) {
            return new Outcome(false, "CREDENTIALS_REJECTED", status, "The system refused the credentials");
        } catch (Exception e) {
            return new Outcome(false, "UNEXPECTED_ANSWER", status, "The system answered in a shape the hub does not read");
        }
    }

    private static URI uri(PartnerRequest request, StreamDescriptor descriptor, PartnerConnection c, String stream, String apiRoot) {
        if (request.uri() != null) {
            return URI.create(request.uri());
        }
        StreamDescriptor.Stream s = descriptor.stream(stream);
        String path = request.path() != null ? request.path() : s.path();
        StringBuilder uri = new StringBuilder(apiRoot);
        if (path != null) {
            String expanded = path;
            int open;
            while ((open = expanded.indexOf('{')) >= 0) {
                int close = expanded.indexOf('}', open);
                expanded = expanded.substring(0, open) + URLEncoder.encode(c.requiredSetting(expanded.substring(open + 1, close)),
                        StandardCharsets.UTF_8) + expanded.substring(close + 1);
            }
            uri.append(uri.toString().endsWith("/") || expanded.startsWith("/") ? "" : "/").append(expanded);
        }
        StringBuilder query = new StringBuilder(request.query() == null ? "" : request.query());
        s.query().forEach((k, v) -> query.append(query.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        if (!query.isEmpty()) {
            uri.append('?').append(query);
        }
        return URI.create(uri.toString());
    }
}
