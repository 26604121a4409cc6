package ru.svoykrug.hub.security;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated requests to one endpoint: wrong types, huge and negative numbers, broken JSON and encodings,
 * unknown fields, SQL and script fragments, and the ids of other partners and customers. Seeded, so a
 * failure repeats.
 */
final class FuzzRequests {

    /** A request as sent: method, target (path and query, encoded or raw), content type, body bytes, accept. */
    record Fuzzed(String method, String target, boolean raw, String contentType, byte[] body, String accept) {
        String text() {
            return method + " " + target + " " + (body == null ? "" : new String(body, StandardCharsets.UTF_8));
        }
    }

    private static final List<String> NASTY = List.of("", "0", "-1", "1", "42", "2147483648", "-9223372036854775809",
            "99999999999999999999999999", "1e308", "-0.5", "NaN", "null", "true", "'", "\"", "' OR '1'='1",
            "1; DROP TABLE ops.partner_connection; --", "<script>alert(1)</script>", "../../etc/passwd", "\u0000", "a\u0000b",
            "ä漢字🙂", "\uD800", "x".repeat(3000), "2026-02-30", "1971-06-01", "2999-01-01", "+999999999-12-31",
            "0000-00-00", " ", "\r\nX-Injected: 1", "${jndi:ldap://127.0.0.1/x}", "{{7*7}}", "[]", "{}", "%", "%zz", "\\");
    private static final List<String> RAW_BITS = List.of("%", "%zz", "%00", "%2e%2e", "..", ";x=1", "%2F", "%25", "%C3%28",
            "%FF%FE", "a b", "\t", "%0d%0aX:1", "//", "%5c");
    private static final List<String> BROKEN_JSON = List.of("", "{", "}", "{\"", "{\"a\":", "[1,2", "\"unterminated",
            "{\"businessDate\":\"2026-11-25\"", "{'single':'quotes'}", "{\"a\":1,}", "nul", "{\"a\":01}", "\u0000",
            "[".repeat(3000) + "]".repeat(3000), "{\"a\":" + "9".repeat(5000) + "}", "{\"a\":1e99999}");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json", "application/json",
            "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data", "application/json; charset=ISO-8859-1",
            "ä/ö", "");
    private static final List<String> ACCEPTS = List.of("application/json", "*/*", "application/problem+json", "text/html",
            "application/xml", "image/png", "garbage", "");

    private final Random random;
    private final List<String> ids;

    /** {@code ids}: partner ids and customer ids of the test's data, offered as values beside the nasty ones. */
    FuzzRequests(long seed, List<String> ids) {
        this.random = new Random(seed);
        this.ids = ids;
    }

    Fuzzed next(ApiEndpoints.Endpoint endpoint, String ownPartner) {
        boolean raw = random.nextInt(8) == 0;
        StringBuilder target = new StringBuilder();
        String pattern = endpoint.pattern();
        int i = 0;
        while (i < pattern.length()) {
            int open = pattern.indexOf('{', i);
            if (open < 0) {
                target.append(pattern.substring(i));
                break;
            }
            target.append(pattern, i, open);
            int close = pattern.indexOf('}', open);
            String variable = pattern.substring(open + 1, close);
            String value = variable.startsWith("partnerId") && random.nextBoolean() ? ownPartner : value();
            target.append(raw ? rawValue(value) : encode(value.isEmpty() ? "x" : value));
            i = close + 1;
        }
        List<String> params = new ArrayList<>(queryParameters(endpoint));
        params.add(pick(List.of("unknown", "limit", "cursor", "connectionId", "partnerId", "customerId", "x")));
        StringBuilder query = new StringBuilder();
        for (String name : params) {
            if (random.nextInt(3) == 0) continue;
            query.append(query.isEmpty() ? '?' : '&').append(name).append('=').append(raw ? rawValue(value()) : encode(value()));
        }
        byte[] body = null;
        String contentType = null;
        if (endpoint.hasBody() || random.nextInt(10) == 0) {
            contentType = pick(CONTENT_TYPES);
            body = body(endpoint).getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(12) == 0) {
                body = new byte[]{(byte) 0xC3, 0x28, (byte) 0xFF, '{', '}'}; // not UTF-8
            }
        }
        return new Fuzzed(endpoint.method(), target.append(query).toString(), raw, contentType, body, pick(ACCEPTS));
    }

    private String body(ApiEndpoints.Endpoint endpoint) {
        int kind = random.nextInt(4);
        if (kind == 0) return pick(BROKEN_JSON);
        List<String> fields = new ArrayList<>(bodyFields(endpoint));
        fields.add("unknownField");
        fields.add("__proto__");
        StringBuilder json = new StringBuilder("{");
        for (String field : fields) {
            if (random.nextInt(4) == 0) continue;
            if (json.length() > 1) json.append(',');
            json.append('"').append(field).append("\":").append(jsonValue(2));
        }
        return json.append('}').toString();
    }

    private String jsonValue(int depth) {
        return switch (random.nextInt(depth > 0 ? 8 : 6)) {
            case 0 -> "null";
            case 1 -> Boolean.toString(random.nextBoolean());
            case 2 -> pick(List.of("0", "-1", "1", "9223372036854775807", "9223372036854775808", "-99999999999999999999",
                    "1.5", "1e400", "-0"));
            case 3, 4, 5 -> quote(value());
            case 6 -> "[" + jsonValue(depth - 1) + "," + jsonValue(depth - 1) + "]";
            default -> "{\"nested\":" + jsonValue(depth - 1) + "}";
        };
    }

    private String value() {
        return random.nextInt(4) == 0 && !ids.isEmpty() ? pick(ids) : pick(NASTY);
    }

    private String rawValue(String value) {
        return random.nextBoolean() ? pick(RAW_BITS) : encode(value) + pick(RAW_BITS);
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    private static List<String> queryParameters(ApiEndpoints.Endpoint endpoint) {
        List<String> names = new ArrayList<>();
        if (endpoint.handler() == null) return names;
        for (MethodParameter p : endpoint.handler().getMethodParameters()) {
            RequestParam param = p.getParameterAnnotation(RequestParam.class);
            if (param != null) {
                String name = !param.name().isEmpty() ? param.name() : param.value();
                names.add(name.isEmpty() ? p.getParameter().getName() : name);
            }
        }
        return names;
    }

    private static List<String> bodyFields(ApiEndpoints.Endpoint endpoint) {
        List<String> names = new ArrayList<>();
        if (endpoint.handler() == null) return names;
        for (MethodParameter p : endpoint.handler().getMethodParameters()) {
            if (p.hasParameterAnnotation(RequestBody.class) && p.getParameterType().isRecord()) {
                for (var component : p.getParameterType().getRecordComponents()) {
                    names.add(component.getName());
                }
            }
        }
        return names;
    }
}
