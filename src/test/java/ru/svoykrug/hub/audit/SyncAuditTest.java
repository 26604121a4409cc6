package ru.svoykrug.hub.audit;

import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.connect.SyncScenario;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static ru.svoykrug.hub.connect.TestConnections.yclients;

/**
 * A real sync's changes of personal data are audited by the staging triggers: one CHANGE row per staged
 * record that holds a name or a phone, as the connection, with no value in it; a second sync that changes
 * nothing adds none.
 */
class SyncAuditTest extends SyncScenario {

    @Test
    void aSyncWritesOneAuditRowPerRecordWithPersonalDataAndASyncThatChangesNothingWritesNone() {
        YclientsSimulator sim = started(YclientsSimulator.start(new YclientsDataSet(31, 300, 0, ZoneId.of("Europe/Moscow")), 4100));
        connect(yclients("yc-audit", sim, 100));

        assertThat(sync("yc-audit").status()).isEqualTo(SyncRunStatus.SUCCEEDED);

        long personal = jdbc.queryForObject("""
                SELECT (SELECT count(*) FROM staging.customer WHERE connection_id = 'yc-audit' AND (name_sealed IS NOT NULL OR phone_key IS NOT NULL))
                     + (SELECT count(*) FROM staging.sale WHERE connection_id = 'yc-audit' AND phone_key IS NOT NULL)
                     + (SELECT count(*) FROM staging.payment WHERE connection_id = 'yc-audit' AND phone_key IS NOT NULL)""", Long.class);
        assertThat(personal).as("the data set has personal data to audit").isPositive();
        assertThat(audited()).isEqualTo(personal);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM audit.entry WHERE connection_id = 'yc-audit'
                   AND (actor_subject <> 'connection:yc-audit' OR actor_role <> 'SYNC' OR action <> 'CHANGE'
                        OR channel <> 'sync:yc-audit' OR record_ref LIKE '%+7%' OR coalesce(customer_key, '') LIKE '%+7%')""",
                Long.class)).isZero();

        assertThat(sync("yc-audit").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(audited()).as("re-read, nothing changed").isEqualTo(personal);

        // an update that changes personal data: one row per changed record, naming what changed; a statement
        // of one row first on the same connection, then one of all (the join of old and new rows is planned
        // for each statement: planned once for one row, it was a nested loop over the second's)
        String fieldsOfSales = "SELECT count(*) FROM audit.entry WHERE connection_id = 'yc-audit' AND record_ref LIKE 'sale:%' "
                + "AND fields = ARRAY['phone_key']";
        long before = jdbc.queryForObject(fieldsOfSales, Long.class);
        long changed = jdbc.execute((java.sql.Connection con) -> {
            try (var one = con.createStatement(); var all = con.createStatement()) {
                int first = one.executeUpdate("""
                        UPDATE staging.sale SET phone_key = NULL
                         WHERE (connection_id, source_id) = (SELECT connection_id, min(source_id) FROM staging.sale
                                                              WHERE connection_id = 'yc-audit' AND phone_key IS NOT NULL
                                                              GROUP BY connection_id)""");
                return (long) first + all.executeUpdate(
                        "UPDATE staging.sale SET phone_key = NULL WHERE connection_id = 'yc-audit' AND phone_key IS NOT NULL");
            }
        });
        assertThat(changed).isGreaterThan(1);
        assertThat(jdbc.queryForObject(fieldsOfSales, Long.class) - before).isEqualTo(changed);
        assertThat(audited()).isEqualTo(personal + changed);
    }

    private long audited() {
        return jdbc.queryForObject("SELECT count(*) FROM audit.entry WHERE connection_id = 'yc-audit'", Long.class);
    }
}
