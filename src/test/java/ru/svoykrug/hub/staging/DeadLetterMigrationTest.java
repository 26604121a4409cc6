package ru.svoykrug.hub.staging;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.infra.ScratchDatabase;
import ru.svoykrug.hub.infra.HubProperties;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** V9 on a database that has dead letters the old way: one row per record left, no copy of a record kept. */
class DeadLetterMigrationTest extends HubIntegrationTest {

    @Autowired
    HikariDataSource dataSource;

    @Autowired
    HubProperties hub;

    @Test
    void deadLettersOfOneRecordCollapseIntoOneAndLoseTheirPayloadAndQuotedValues() {
        DriverManagerDataSource upgraded = ScratchDatabase.create(hub, dataSource, "v9_upgrade");
        Flyway flyway8 = Flyway.configure().dataSource(upgraded).locations("classpath:db/migration").target("8").load();
        flyway8.migrate();
        JdbcTemplate db = new JdbcTemplate(upgraded);
        db.update("INSERT INTO ops.partner_connection (id, partner, system, zone, schedule, credentials) "
                + "VALUES ('up-yc', 'P', 'yclients', 'Europe/Moscow', ?, '\\x00'::bytea)", TestConnections.NEVER);
        for (int read = 0; read < 3; read++) {
            db.update("INSERT INTO ops.dead_letter (connection_id, stream, source_id, reason, payload) VALUES ('up-yc', 'records', "
                    + "'11', 'datetime ''2025-02-30 10:00:00'' is not a date-time', "
                    + "'{\"id\":11,\"client\":{\"name\":\"Анна\",\"phone\":\"+79161234567\"}}')");
        }
        db.update("INSERT INTO ops.dead_letter (connection_id, stream, source_id, reason, payload) VALUES ('up-yc', 'clients', "
                + "NULL, 'id is missing', '{\"name\":\"Борис\"}')");

        Flyway.configure().dataSource(upgraded).locations("classpath:db/migration").target("9").load().migrate();

        assertThat(db.queryForObject("SELECT count(*) FROM ops.dead_letter", Integer.class)).isEqualTo(2);
        Map<String, Object> record = db.queryForMap("SELECT * FROM ops.dead_letter WHERE source_id = '11'");
        assertThat(record).containsEntry("record_key", "11").containsEntry("read_count", 3).containsEntry("fields", "datetime")
                .containsEntry("reason", "datetime (value not kept) is not a date-time").doesNotContainKey("payload");
        assertThat(db.queryForList("SELECT d::text FROM ops.dead_letter d", String.class))
                .noneMatch(row -> row.contains("Анна") || row.contains("Борис") || row.contains("+7916") || row.contains("2025-02-30"));
        // from now on one row per record: a second row of the same record is refused
        assertThat(db.queryForObject("SELECT count(*) FROM pg_indexes WHERE indexname = 'dead_letter_per_record'", Integer.class))
                .isEqualTo(1);
        ScratchDatabase.drop(hub, dataSource, "v9_upgrade");
    }
}
