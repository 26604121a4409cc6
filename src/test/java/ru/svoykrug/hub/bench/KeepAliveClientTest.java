package ru.svoykrug.hub.bench;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The load generator's client against a real HTTP server: answers of every framing, one after another on one connection. */
class KeepAliveClientTest {

    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/sized", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            answer(exchange, 200, "{\"points\": 12}".getBytes(StandardCharsets.UTF_8), false);
        });
        server.createContext("/chunked", exchange -> {
            byte[] body = "x".repeat(70_000).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, 0); // 0: chunked
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/closing", exchange -> answer(exchange, 409, "{}".getBytes(StandardCharsets.UTF_8), true));
        server.createContext("/redeem", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(exchange.getRequestHeaders().getFirst("Idempotency-Key") + " " + exchange.getRequestHeaders().getFirst("Content-Type")
                    + " " + body);
            answer(exchange, 201, new byte[0], false);
        });
        server.start();
    }

    private void answer(com.sun.net.httpserver.HttpExchange exchange, int status, byte[] body, boolean close) throws IOException {
        if (close) {
            exchange.getResponseHeaders().add("Connection", "close");
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readsEveryFramingInTurnAndOpensAgainWhatTheServerCloses() throws Exception {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (KeepAliveClient http = new KeepAliveClient(base)) {
            assertThat(http.get("/sized", "t1")).isEqualTo(200);
            assertThat(http.get("/chunked", "t2")).isEqualTo(404);
            assertThat(http.get("/sized", "t3")).isEqualTo(200);
            assertThat(http.get("/closing", "t4")).isEqualTo(409);
            assertThat(http.get("/sized", "t5")).isEqualTo(200);
            assertThat(http.post("/redeem", "t6", "key-1", "{\"points\": 5, \"partnerId\": \"café\"}")).isEqualTo(201);
        }
        assertThat(seen).containsExactly("GET Bearer t1", "GET Bearer t3", "GET Bearer t5",
                "key-1 application/json {\"points\": 5, \"partnerId\": \"café\"}");
    }

    @Test
    void aServerThatIsNotThereIsAnErrorNotAStatus() {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        server.stop(0);
        try (KeepAliveClient http = new KeepAliveClient(base)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.get("/sized", "t"))
                    .isInstanceOf(IOException.class);
        }
    }
}
