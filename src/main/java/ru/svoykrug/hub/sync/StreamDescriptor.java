package ru.svoykrug.hub.sync;

import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.sync.http.RateLimits;

import java.util.List;
import java.util.Map;

/**
 * What a system's streams are, as data: {@code routes/<system>.yaml}, in the vocabulary of declarative
 * connectors (requester, paginator, cursor, record selector). The paged-stream template and the
 * system's {@link Connector} read it; the descriptor says what differs between systems and nothing else.
 *
 * @param requestsPerSecond the vendor's limit in any second, when a connection does not set {@code requestsPerSecond}
 * @param requestsPerMinute the vendor's limit in any minute (0: none documented), when a connection does not
 *                          set {@code requestsPerMinute}
 * @param streams           in the order a run starts them
 * @param recordSelector    where the records are in an answer (dot-separated), unless a stream says otherwise
 */
public record StreamDescriptor(String system, int requestsPerSecond, int requestsPerMinute, Requester requester, List<Stream> streams,
                               Paginator paginator, Cursor cursor, String recordSelector) {

    public StreamDescriptor {
        streams = streams == null ? List.of() : List.copyOf(streams);
        paginator = paginator == null ? new Paginator(null, null, null, 0, 0) : paginator;
        cursor = cursor == null ? new Cursor(null, 0) : cursor;
    }

    /**
     * How a call is made: {@code method}, and {@code okStatusCodeRange}, the statuses the reader reads as
     * answers (anything else is a failure for the partner-http error handler).
     */
    public record Requester(String method, String okStatusCodeRange, Map<String, String> headers) {
        public Requester {
            method = method == null ? "GET" : method;
            okStatusCodeRange = okStatusCodeRange == null ? "200-299" : okStatusCodeRange;
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }

    /**
     * One stream: its {@code path} below the API root ({@code {setting}} is the connection's setting), fixed
     * query parameters, and its own record selector when it differs.
     */
    public record Stream(String name, String path, Map<String, String> query, String recordSelector) {
        public Stream {
            query = query == null ? Map.of() : Map.copyOf(query);
        }
    }

    /** How pages follow each other: {@code type} names the scheme; parameters and the default page size. */
    public record Paginator(String type, String pageParameter, String sizeParameter, int pageSize, int maxPageSize) {
    }

    /** The field a stream's cursor filters on, and how far back each run re-reads (sources back-date). */
    public record Cursor(String field, int overlapMinutes) {
    }

    /** The connection's limits: its own settings (0 lifts a limit), else the vendor's documented ones. */
    public RateLimits limits(PartnerConnection c) {
        return new RateLimits(c.intSetting("requestsPerSecond", requestsPerSecond),
                c.intSetting("requestsPerMinute", requestsPerMinute));
    }

    public Stream stream(String name) {
        return streams.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(system + " has no stream " + name));
    }

    public List<String> streamNames() {
        return streams.stream().map(Stream::name).toList();
    }

    public String recordSelector(String stream) {
        String own = stream(stream).recordSelector();
        return own != null ? own : recordSelector;
    }
}
