package ru.svoykrug.hub.simulate.kit;

import com.github.tomakehurst.wiremock.http.Request;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reading a request the way every simulated vendor does: its path, query parameters, form body. */
public final class Requests {

    private Requests() {
    }

    /** The path as it came over the wire, without the query. */
    public static String path(Request request) {
        return request.getUrl().split("\\?", 2)[0];
    }

    public static boolean isPost(Request request) {
        return "POST".equals(request.getMethod().getName());
    }

    /** The first value of a query parameter, null when absent. */
    public static String param(Request request, String name) {
        var p = request.queryParameter(name);
        return p != null && p.isPresent() ? p.firstValue() : null;
    }

    public static String param(Request request, String name, String defaultValue) {
        String value = param(request, name);
        return value == null ? defaultValue : value;
    }

    /** A whole-number parameter; a value that is no number is the client's mistake ({@link BadRequest}). */
    public static int intParam(Request request, String name, int defaultValue) {
        String value = param(request, name);
        try {
            return value == null ? defaultValue : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a number");
        }
    }

    /** An {@code application/x-www-form-urlencoded} body, the last value of a name repeated. */
    public static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        if (body == null || body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }

    /** A request the simulated vendor refuses as malformed; its message is what the vendor would say. */
    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
