package ru.svoykrug.hub.monitoring;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A local HTTP server that keeps every request's body (gunzipped when sent so) and answers 200: the alert
 * webhook's receiver, and Sentry's stand-in. {@link #WEBHOOK} is the one every {@code HubIntegrationTest}
 * hub posts its alerts to ({@code hub.alerts.webhook-url}).
 */
public final class LocalReceiver implements AutoCloseable {

    public static final LocalReceiver WEBHOOK = start();

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private LocalReceiver(HttpServer server) {
        this.server = server;
    }

    public static LocalReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            LocalReceiver receiver = new LocalReceiver(server);
            server.createContext("/", exchange -> {
                try (InputStream raw = exchange.getRequestBody()) {
                    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
                    InputStream in = "gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(raw) : raw;
                    receiver.received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
                byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public record Received(String method, String path, String body) {
    }
}
