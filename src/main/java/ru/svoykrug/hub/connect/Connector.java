package ru.svoykrug.hub.connect;

import org.apache.camel.component.http.HttpClientConfigurer;

import java.util.List;
import java.util.Map;

/**
 * What Java adds to a partner system's route template (in {@code routes/<system>.yaml}): the streams
 * to read, in order, and the template parameters of a connection's stream. Mapping and auth live in
 * the beans the template calls.
 */
public interface Connector {

    /** The system's name, which is also the id of its route template. */
    String system();

    List<String> streams();

    /** The vendor's request limit, used when a connection does not set {@code requestsPerSecond}. */
    int defaultRequestsPerSecond();

    Map<String, String> templateParameters(PartnerConnection connection, String stream, String baseUrl);

    /**
     * The HTTP client all streams of a connection share. Systems with expiring tokens wrap the
     * rate-limited client to add their bearer token to every attempt.
     */
    default HttpClientConfigurer httpClient(PartnerConnection connection, int requestsPerSecond, String baseUrl) {
        return RateLimitedHttpClient.forConnection(connection.id(), requestsPerSecond);
    }
}
