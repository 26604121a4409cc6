package ru.svoykrug.hub.filedrops;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connections.ConnectionRepository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A file partner's drop folder: each CSV imported once, moved to done/ or failed/ with a report beside it. */
class FileDropsTest extends HubIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    FileDrops drops;
    @Autowired
    ConnectionRepository connections;

    @Test
    void droppedFilesAreImportedOnceAndMovedWithAReport() throws Exception {
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/partners/drop-shop/connections"))
                .header("Authorization", "Bearer " + TestTokens.partner("drop-shop")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"id": "drop-shop-file", "system": "file", "schedule": "0 0 3 1 1 ? 2099", "settings": {"folder": "drop-shop"}}"""))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Path folder = drops.folder(connections.find("drop-shop-file").orElseThrow());

        Path good = write(folder.resolve("march.csv"), """
                customer_ref,phone,occurred_at,amount
                anna,+7 916 123-45-67,2024-03-01,1500.50
                boris,,2024-03-02T18:30:00,200
                carl,,2024-03-03,not-money
                """);
        Path bad = write(folder.resolve("not-sales.csv"), "name;phone\nAnna;+79161234567\n");
        Path ignored = write(folder.resolve("still-writing.csv.part"), "customer_ref,phone,occurred_at,amount\n");

        // (a file's report is written after the file is moved: CI once read it before it was there)
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(folder.resolve("done/march.csv.report.json"))
                && Files.exists(folder.resolve("failed/not-sales.csv.report.json")));
        assertThat(folder.resolve("done/march.csv")).exists();
        assertThat(folder.resolve("failed/not-sales.csv")).exists();
        assertThat(good).doesNotExist();
        assertThat(bad).doesNotExist();
        assertThat(ignored).exists();
        JsonNode report = JSON.readTree(Files.readString(folder.resolve("done/march.csv.report.json")));
        assertThat(report.path("rows").asLong()).isEqualTo(3);
        assertThat(report.path("imported").asLong()).isEqualTo(2);
        assertThat(report.path("badRows").get(0).path("line").asInt()).isEqualTo(4);
        assertThat(Files.readString(folder.resolve("done/march.csv.report.json"))).doesNotContain("not-money").doesNotContain("916");
        assertThat(JSON.readTree(Files.readString(folder.resolve("failed/not-sales.csv.report.json"))).path("error").asString())
                .contains("customer_ref,phone,occurred_at,amount");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'drop-shop-file'", Integer.class))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM INT_METADATA_STORE WHERE METADATA_KEY LIKE 'filedrop:drop-shop-file:%'",
                Integer.class)).as("each file remembered for every node").isEqualTo(2);

        // the same file dropped again: taken again (new modification time), changes nothing, lands beside the first
        write(folder.resolve("march.csv"), Files.readString(folder.resolve("done/march.csv")));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(folder.resolve("done/march.csv.2.report.json")));
        assertThat(folder.resolve("done/march.csv.2")).exists();
        assertThat(JSON.readTree(Files.readString(folder.resolve("done/march.csv.2.report.json"))).path("changed").asLong()).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'drop-shop-file'", Integer.class))
                .isEqualTo(2);
    }

    /** Written, then dated a minute back: old enough to be taken at once. */
    private static Path write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60 + (long) (Math.random() * 1000))));
        return file;
    }
}
