package ru.svoykrug.hub.imports;

import ru.svoykrug.hub.privacy.StoredPersonalData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.connections.UnknownConnectionException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A partner's history by file: good rows land like synced sales, bad rows are named, twice is once. */
class SalesFileImportTest extends HubIntegrationTest {

    @Autowired
    SalesFileImport imports;
    @Autowired
    ConnectionService connections;
    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path dir;

    @Test
    void goodRowsLandBadRowsAreReportedWithLineAndReasonAndASecondImportChangesNothing() throws Exception {
        connections.ensure(TestConnections.file("import-history", "History", "Asia/Yekaterinburg"));
        Path file = dir.resolve("sales.csv");
        Files.writeString(file, """
                customer_ref,phone,occurred_at,amount
                anna,+7 (916) 123-45-67,2024-03-01,1500.50
                anna,+7 (916) 123-45-67,2024-03-01,1500.50
                boris,,2024-03-02T18:30:00,200
                ,8 916 7654321,2024-03-03T10:00:00+03:00,99.99
                vera,,2024-03-04,12,50
                gleb,,yesterday,100
                dima,not a phone,2024-03-05,100
                ,,2024-03-06,100
                "ella, jr",,2024-03-07,10.123
                """);

        ImportReport first = imports.importFile("import-history", file);

        assertThat(first.rows()).isEqualTo(9);
        assertThat(first.imported()).isEqualTo(4);
        assertThat(first.badRows()).extracting(ImportReport.BadRow::line, ImportReport.BadRow::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(6, "has 5 columns, the header has 4 (a comma inside an unquoted value?)"),
                org.assertj.core.groups.Tuple.tuple(7, "occurred_at is not an ISO date or date-time"),
                org.assertj.core.groups.Tuple.tuple(8, "phone is not a phone number"),
                org.assertj.core.groups.Tuple.tuple(9, "neither customer_ref nor phone is given"),
                org.assertj.core.groups.Tuple.tuple(10, "amount is not roubles with a dot (as 1500.50)"));
        // two identical rows are two purchases; the zone of the connection places a bare date or time
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'import-history'", Integer.class)).isEqualTo(4);
        assertThat(jdbc.queryForObject("SELECT sum(amount_kopecks) FROM staging.sale WHERE connection_id = 'import-history'", Long.class))
                .isEqualTo(150_050L * 2 + 20_000 + 9_999);
        assertThat(jdbc.queryForObject("SELECT occurred_at FROM staging.sale WHERE connection_id = 'import-history' AND customer_source_id = 'boris'",
                java.sql.Timestamp.class).toInstant()).isEqualTo(Instant.parse("2024-03-02T13:30:00Z"));
        assertThat(StoredPersonalData.phone(jdbc, "SELECT phone_sealed FROM staging.customer WHERE connection_id = 'import-history' AND source_id = 'anna'")).isEqualTo("+79161234567");
        assertThat(jdbc.queryForList("SELECT source_id FROM ops.dead_letter WHERE connection_id = 'import-history' ORDER BY id", String.class))
                .containsExactly("line 6", "line 7", "line 8", "line 9", "line 10");

        List<String> before = jdbc.queryForList("SELECT to_jsonb(s)::text FROM staging.sale s WHERE connection_id = 'import-history' ORDER BY source_id",
                String.class);
        ImportReport second = imports.importFile("import-history", file);

        assertThat(second.changed()).isZero();
        assertThat(jdbc.queryForList("SELECT to_jsonb(s)::text FROM staging.sale s WHERE connection_id = 'import-history' ORDER BY source_id",
                String.class)).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ops.dead_letter WHERE connection_id = 'import-history'", Integer.class)).isEqualTo(5);
        assertThat(jdbc.queryForList("SELECT read_count FROM ops.dead_letter WHERE connection_id = 'import-history'", Integer.class))
                .as("a line imported again updates its dead letter").containsOnly(2);
        assertThat(jdbc.queryForList("SELECT d::text FROM ops.dead_letter d WHERE connection_id = 'import-history'", String.class))
                .as("no value of a bad line is kept").noneMatch(row -> row.contains("gleb") || row.contains("dima")
                        || row.contains("10.123") || row.contains("yesterday") || row.contains("ella"));
    }

    @Test
    void aFileWithoutTheHeaderOrForAnUnknownConnectionIsRefusedWhole() throws Exception {
        connections.ensure(TestConnections.file("import-strict", "Strict", "Europe/Moscow"));
        Path file = dir.resolve("no-header.csv");
        Files.writeString(file, "anna,,2024-03-01,100\n");

        assertThatThrownBy(() -> imports.importFile("import-strict", file)).hasMessageContaining("customer_ref,phone,occurred_at,amount");
        assertThatThrownBy(() -> imports.importFile("no-such-partner", file)).isInstanceOf(UnknownConnectionException.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'import-strict'", Integer.class)).isZero();
    }
}
