package ru.svoykrug.hub.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real ClickHouse server for the tests: Debian's {@code clickhouse-server} (18.16; {@code .ci/run}
 * installs it), started once per test JVM on free loopback ports with a temporary configuration and data
 * directory, stopped and deleted when the JVM ends. A test that cannot start it fails: the warehouse is
 * tested against the real thing or not at all.
 */
public final class ClickHouseTestServer {

    private static ClickHouseTestServer running;

    private final Process process;
    private final Path dir;
    private final int httpPort;

    private ClickHouseTestServer(Process process, Path dir, int httpPort) {
        this.process = process;
        this.dir = dir;
        this.httpPort = httpPort;
    }

    public static synchronized String url() {
        if (running == null) {
            running = start();
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop));
        }
        return "http://127.0.0.1:" + running.httpPort;
    }

    private static ClickHouseTestServer start() {
        try {
            Path dir = Files.createTempDirectory("hub-clickhouse-");
            int http = freePort();
            int tcp = freePort();
            Files.createDirectories(dir.resolve("data/tmp"));
            Files.writeString(dir.resolve("config.xml"), """
                    <yandex>
                      <logger><console>1</console><level>warning</level></logger>
                      <listen_host>127.0.0.1</listen_host>
                      <http_port>%d</http_port><tcp_port>%d</tcp_port>
                      <path>%s/data/</path><tmp_path>%s/data/tmp/</tmp_path>
                      <users_config>users.xml</users_config>
                      <mark_cache_size>268435456</mark_cache_size>
                      <timezone>UTC</timezone>
                    </yandex>
                    """.formatted(http, tcp, dir, dir));
            Files.writeString(dir.resolve("users.xml"), """
                    <yandex>
                      <profiles><default><max_execution_time>60</max_execution_time></default></profiles>
                      <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
                        <profile>default</profile><quota>default</quota></default></users>
                      <quotas><default/></quotas>
                    </yandex>
                    """);
            Process process = new ProcessBuilder(executable(), "--config-file=" + dir.resolve("config.xml"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
            ClickHouseTestServer server = new ClickHouseTestServer(process, dir, http);
            server.awaitReady(Duration.ofSeconds(30));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start clickhouse-server (apt-get install clickhouse-server clickhouse-client)", e);
        }
    }

    private static String executable() {
        for (String candidate : new String[] {"/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "clickhouse-server";
    }

    private void awaitReady(Duration patience) throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("clickhouse-server exited with " + process.exitValue() + "; see " + dir.resolve("server.log"));
            }
            try {
                HttpURLConnection ping = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + "/ping").toURL().openConnection();
                ping.setConnectTimeout(500);
                if (ping.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while clickhouse-server started", e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("clickhouse-server did not answer within " + patience + "; see " + dir.resolve("server.log"));
    }

    // The server's data is thrown away: killed, not asked to stop, and its directory (tens of thousands of
    // part files by the end of a test run) removed by an rm left running after the JVM, not file by file
    // in the JVM's shutdown hook (which took over the 30 s Surefire allows a fork to exit).
    private void stop() {
        process.destroyForcibly();
        try {
            process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            new ProcessBuilder("rm", "-rf", dir.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // a temporary directory left behind harms nothing
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
