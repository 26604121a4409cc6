package ru.svoykrug.hub.sync;

import org.apache.camel.component.http.HttpClientConfigurer;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.sync.http.RateLimitedHttpClient;
import ru.svoykrug.hub.sync.http.RateLimits;

/**
 * A partner system's Java side. What is the same for every system (the paging loop, the HTTP call, the
 * write of a page with its cursor) is {@code routes/paged-stream.yaml}; what differs but is data (streams,
 * paths, methods, page sizes, cursor field and overlap, record selector) is the system's stream
 * descriptor {@code routes/<system>.yaml}; what differs and needs code is here: auth, the next request
 * from the cursor, and an answer to mapped rows plus the next cursor.
 */
public interface Connector {

    /** The system's name, which also names its descriptor {@code routes/<system>.yaml}. */
    String system();

    /** A reader of one stream for one run: it keeps where the stream stands from one page to the next. */
    StreamReader reader(StreamSync sync);

    /** The address requests are relative to, from the connection's {@code baseUrl} (amoCRM adds {@code /api/v4}). */
    default String apiRoot(String baseUrl) {
        return baseUrl;
    }

    /**
     * The HTTP client all streams of a connection share. Systems with expiring tokens wrap the
     * rate-limited client to add their bearer token to every attempt.
     */
    default HttpClientConfigurer httpClient(PartnerConnection connection, RateLimits limits, String apiRoot) {
        return RateLimitedHttpClient.forConnection(connection.id(), limits);
    }
}
