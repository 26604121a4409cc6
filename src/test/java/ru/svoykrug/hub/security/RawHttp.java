package ru.svoykrug.hub.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Requests as bytes on a socket: what {@code java.net.http} refuses to send (a NUL, a broken {@code %}
 * escape, {@code ..} in a path, {@code CONNECT}) is what the hub must still answer with a problem.
 */
final class RawHttp {

    private RawHttp() {
    }

    record Answer(int status, String headers, String body) {
        String contentType() {
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) return line.substring(13).trim();
            }
            return "";
        }
    }

    static Answer send(int port, String method, String target, String token, String contentType, String body) throws IOException {
        return send(port, method, target, token, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8), null);
    }

    static Answer send(int port, String method, String target, String token, String contentType, byte[] body, String accept)
            throws IOException {
        StringBuilder request = new StringBuilder().append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
        if (token != null) request.append("Authorization: Bearer ").append(token).append("\r\n");
        byte[] bytes = body == null ? new byte[0] : body;
        if (accept != null) request.append("Accept: ").append(accept).append("\r\n");
        if (contentType != null) request.append("Content-Type: ").append(contentType).append("\r\n");
        if (body != null) request.append("Content-Length: ").append(bytes.length).append("\r\n");
        request.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
            return parse(socket.getInputStream());
        }
    }

    private static Answer parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 4);
        if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            body = unchunk(body);
        }
        String[] statusLine = head.split("\r\n", 2)[0].split(" ");
        return new Answer(statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1, head, body);
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", i);
            if (lineEnd < 0) break;
            int size = Integer.parseInt(chunked.substring(i, lineEnd).trim(), 16);
            if (size == 0) break;
            out.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
            i = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
