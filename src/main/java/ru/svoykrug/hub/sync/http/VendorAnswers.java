package ru.svoykrug.hub.sync.http;

import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What of a vendor's answer may be repeated in a run message, a connection's status, an exception or a
 * log line: its HTTP status and the vendor's error code, never the body (it may echo a login, a key, a
 * guest's data or a clinic's text), and a request's address without its query (keys and ids travel there).
 */
public final class VendorAnswers {

    private static final List<String> CODE_FIELDS = List.of("error", "error_code", "errorCode", "code", "title");
    // A code is a short word; anything longer or with spaces is prose and stays out.
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:\\-]{1,64}");

    private VendorAnswers() {
    }

    /** {@code HTTP 400 (error BAD_REQUEST)}, or just {@code HTTP 400}. */
    public static String describe(int status, String body) {
        String code = errorCode(body);
        return code == null ? "HTTP " + status : "HTTP " + status + " (error " + code + ")";
    }

    /** The vendor's error code field of a JSON answer, when it is a code and not a sentence. */
    public static String errorCode(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode root;
        try {
            root = PartnerJson.MAPPER.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
        return errorCode(root);
    }

    public static String errorCode(JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        for (String field : CODE_FIELDS) {
            JsonNode value = root.get(field);
            if (value != null && (value.isString() || value.isIntegralNumber())) {
                String text = value.asString();
                if (CODE.matcher(text).matches()) {
                    return text;
                }
            }
        }
        return null;
    }

    /** Scheme, host, port and path: the query is dropped. */
    public static String withoutQuery(String uri) {
        if (uri == null) {
            return null;
        }
        try {
            URI u = URI.create(uri);
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
        } catch (RuntimeException | java.net.URISyntaxException e) {
            int q = uri.indexOf('?');
            return q < 0 ? uri : uri.substring(0, q);
        }
    }
}
