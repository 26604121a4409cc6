package ru.svoykrug.hub.sync;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call to a partner system. {@code path} is relative to the connection's API root (null: the
 * stream's path from its descriptor); {@code uri}, when set, is a whole address the vendor handed out
 * (amoCRM's {@code _links.next}). {@code query} is already encoded: each vendor wants its own encoding.
 */
public record PartnerRequest(String path, String uri, String query, Map<String, String> headers, String body) {

    /** A call to the stream's own path. */
    public static PartnerRequest toStream() {
        return new PartnerRequest(null, null, null, Map.of(), null);
    }

    public static PartnerRequest to(String path) {
        return new PartnerRequest(path, null, null, Map.of(), null);
    }

    public static PartnerRequest toUri(String uri) {
        return new PartnerRequest(null, uri, null, Map.of(), null);
    }

    public PartnerRequest query(String encodedQuery) {
        return new PartnerRequest(path, uri, encodedQuery, headers, body);
    }

    public PartnerRequest header(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new PartnerRequest(path, uri, query, Map.copyOf(more), body);
    }

    public PartnerRequest body(String content) {
        return new PartnerRequest(path, uri, query, headers, content);
    }
}
