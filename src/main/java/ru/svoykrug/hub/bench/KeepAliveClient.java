package ru.svoykrug.hub.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The load generator's HTTP/1.1: one keep-alive connection per caller thread, a request written in one piece,
 * the answer's status read and its body skipped; a connection the server closes (Tomcat closes one after 100
 * requests) is opened again and the request sent again.
 *
 * <p>Why not the JDK's client: on the same two cores it was the heaviest part of the run. Serving a static file
 * of the hub to 16 callers, the JDK's client took 0.39 ms of CPU a request (2,292 requests a second with the
 * hub's JVM at 116 % and the client's at 90 %), this one 0.05 ms (7,902 a second, hub 180 %, client 37 %);
 * Apache's classic client measured no better than the JDK's (BENCHMARKS.md, "The customer API"). Like
 * {@code wrk}, it measures the hub rather than the caller. Not thread-safe: one per caller thread.
 */
final class KeepAliveClient implements AutoCloseable {

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    KeepAliveClient(URI base) {
        this.host = base.getHost();
        this.port = base.getPort();
    }

    int get(String path, String token) throws IOException {
        return send(head("GET", path, token).append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    int post(String path, String token, String idempotencyKey, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = head("POST", path, token)
                .append("Content-Type: application/json\r\n")
                .append("Idempotency-Key: ").append(idempotencyKey).append("\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n\r\n");
        ByteArrayOutputStream whole = new ByteArrayOutputStream(request.length() + body.length);
        whole.writeBytes(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        whole.writeBytes(body);
        return send(whole.toByteArray());
    }

    private StringBuilder head(String method, String path, String token) {
        return new StringBuilder(512).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(':').append(port).append("\r\n")
                .append("Authorization: Bearer ").append(token).append("\r\n");
    }

    private int send(byte[] request) throws IOException {
        boolean fresh = socket == null;
        if (fresh) {
            open();
        }
        try {
            return exchange(request);
        } catch (EOFException | java.net.SocketException closed) {
            if (fresh) {
                throw closed;
            }
            // the server closed the idle or the hundredth keep-alive connection before this request: once more on a new one
            close();
            open();
            return exchange(request);
        }
    }

    private int exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String status = line();
        if (status.length() < 12 || !status.startsWith("HTTP/1.1 ")) {
            throw new IOException("Not an HTTP/1.1 answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(header.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closing = true;
            }
        }
        if (chunked) {
            for (long size = chunk(); size > 0; size = chunk()) {
                in.skipNBytes(size);
                line();
            }
            line();
        } else if (length > 0) {
            in.skipNBytes(length);
        }
        if (closing) {
            close();
        }
        return code;
    }

    private long chunk() throws IOException {
        String size = line();
        int extension = size.indexOf(';');
        return Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("The server closed the connection");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private void open() throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection we no longer use
            }
            socket = null;
        }
    }
}
