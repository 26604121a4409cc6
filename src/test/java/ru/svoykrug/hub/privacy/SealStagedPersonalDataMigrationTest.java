package ru.svoykrug.hub.privacy;

import com.zaxxer.hikari.HikariDataSource;
import ru.svoykrug.hub.infra.HubProperties;
import ru.svoykrug.hub.infra.ScratchDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.connections.CredentialVault;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** V19 and V20 on a database that staged names and phones in plain text: sealed, re-keyed, the plain names gone. */
class SealStagedPersonalDataMigrationTest extends HubIntegrationTest {

    @Autowired
    HikariDataSource dataSource;
    @Autowired
    CredentialVault vault;
    @Autowired
    HubProperties hub;

    @Test
    void plainNamesAndPhonesAreSealedAndPhonesReKeyedEverywhere() {
        DriverManagerDataSource upgraded = ScratchDatabase.create(hub, dataSource, "v20_upgrade");
        Flyway.configure().dataSource(upgraded).locations("classpath:db/migration").target("18").load().migrate();
        JdbcTemplate db = new JdbcTemplate(upgraded);
        db.update("INSERT INTO ops.partner_connection (id, partner, system, zone, schedule, credentials) "
                + "VALUES ('up-yc', 'P', 'yclients', 'Europe/Moscow', ?, '\\x00'::bytea)", TestConnections.NEVER);
        db.update("INSERT INTO staging.customer (connection_id, source_id, name, phone_e164, source_changed_at) "
                + "VALUES ('up-yc', 'c1', 'Анна Петрова', '+79161234567', now()), ('up-yc', 'c2', 'Борис', NULL, now())");
        db.update("INSERT INTO staging.sale (connection_id, source_id, kind, status, customer_source_id, phone_e164, occurred_at, "
                + "zone, amount_kopecks, source_changed_at) VALUES ('up-yc', 's1', 'SALE', 'COMPLETED', NULL, '+79167654321', now(), "
                + "'Europe/Moscow', 100, now())");
        db.update("INSERT INTO core.customer (id, phone_e164, created_on) VALUES (1, '+79161234567', current_date), "
                + "(2, '+79167654321', current_date)");
        db.update("INSERT INTO core.customer_link (connection_id, customer_key, customer_id, linked_on) VALUES "
                + "('up-yc', 'c1', 1, current_date), ('up-yc', 'phone:+79167654321', 2, current_date)");

        PersonalDataKeys keys = new PersonalDataKeys(vault, upgraded);
        Flyway.configure().dataSource(upgraded).locations("classpath:db/migration")
                .javaMigrations(new V20__SealStagedPersonalData(keys)).target("20").load().migrate();

        PersonalData data = new PersonalData(keys);
        PhoneIndex index = new PhoneIndex(keys);
        Map<String, Object> anna = db.queryForMap("SELECT * FROM staging.customer WHERE source_id = 'c1'");
        assertThat(anna).doesNotContainKey("legacy_name").containsEntry("phone_key", index.of("+79161234567"));
        assertThat(data.open(PersonalData.Kind.NAME, (byte[]) anna.get("name_sealed"))).isEqualTo("Анна Петрова");
        assertThat(data.open(PersonalData.Kind.PHONE, (byte[]) anna.get("phone_sealed"))).isEqualTo("+79161234567");
        assertThat(data.open(PersonalData.Kind.NAME, db.queryForObject(
                "SELECT name_sealed FROM staging.customer WHERE source_id = 'c2'", byte[].class))).isEqualTo("Борис");
        assertThat(db.queryForObject("SELECT phone_key FROM staging.sale WHERE source_id = 's1'", String.class))
                .isEqualTo(index.of("+79167654321"));
        assertThat(db.queryForList("SELECT phone_key FROM core.customer ORDER BY id", String.class))
                .containsExactly(index.of("+79161234567"), index.of("+79167654321"));
        assertThat(db.queryForList("SELECT customer_key FROM core.customer_link ORDER BY customer_id", String.class))
                .containsExactly("c1", "phone:" + index.of("+79167654321"));
        String rows = String.join("\n", db.queryForList("SELECT t::text FROM staging.customer t UNION ALL SELECT t::text FROM staging.sale t "
                + "UNION ALL SELECT t::text FROM core.customer t UNION ALL SELECT t::text FROM core.customer_link t", String.class));
        assertThat(rows).doesNotContain("Анна").doesNotContain("Борис").doesNotContain("9161234567").doesNotContain("9167654321");
        ScratchDatabase.drop(hub, dataSource, "v20_upgrade");
    }
}
