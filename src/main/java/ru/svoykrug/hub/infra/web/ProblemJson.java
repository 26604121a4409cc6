package ru.svoykrug.hub.infra.web;

import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * An {@code application/problem+json} answer written where no controller and no message converter is at
 * hand: Spring Security's refusals, the error page, Tomcat's own errors. A client error is logged in one
 * line (status, method, path without its query), never with a stack trace or a header's value.
 */
public final class ProblemJson {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger log = LoggerFactory.getLogger(ProblemJson.class);

    private ProblemJson() {
    }

    public static String body(int status, String title, String detail, String instance) {
        StringBuilder json = new StringBuilder(160).append("{\"type\":\"about:blank\",\"title\":").append(quote(title))
                .append(",\"status\":").append(status).append(",\"detail\":").append(quote(detail));
        if (instance != null) {
            json.append(",\"instance\":").append(quote(instance));
        }
        return json.append('}').toString();
    }

    public static void write(HttpServletResponse response, int status, String title, String detail, String instance)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(body(status, title, detail, instance));
        response.flushBuffer();
    }

    /** One line for a refused request: what and where, never who (no token, no query, no body). */
    public static void logClientError(int status, String method, String path, String title) {
        if (status >= 500) {
            log.warn("{} {} {}: {}", status, printable(method), printable(path), title);
        } else {
            log.info("{} {} {}: {}", status, printable(method), printable(path), title);
        }
    }

    /** A path as a log line may carry it: control characters escaped, so a request cannot forge a line. */
    public static String printable(String s) {
        if (s == null) return "-";
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : c);
        }
        return s.length() > 200 ? out.append("...").toString() : out.toString();
    }

    private static String quote(String s) {
        if (s == null) return "null";
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validSurrogate(s, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
