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
                SELECT (SELECT count(*) FROM staging.customer WHERE connection_id = 'yc-audit' AND (name IS NOT NULL OR phone_e164 IS NOT NULL))
                     + (SELECT count(*) FROM staging.sale WHERE connection_id = 'yc-audit' AND phone_e164 IS NOT NULL)
                     + (SELECT count(*) FROM staging.payment WHERE connection_id = 'yc-audit' AND phone_e164 IS NOT NULL)""", Long.class);
        assertThat(personal).as("the data set has personal data to audit").isPositive();
        assertThat(audited()).isEqualTo(personal);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM audit.entry WHERE connection_id = 'yc-audit'
                   AND (actor_subject <> 'connection:yc-audit' OR actor_role <> 'SYNC' OR action <> 'CHANGE'
                        OR channel <> 'sync:yc-audit' OR record_ref LIKE '%+7%' OR coalesce(customer_key, '') LIKE '%+7%')""",
                Long.class)).isZero();

        assertThat(sync("yc-audit").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(audited()).as("re-read, nothing changed").isEqualTo(personal);
    }

    private long audited() {
        return jdbc.queryForObject("SELECT count(*) FROM audit.entry WHERE connection_id = 'yc-audit'", Long.class);
    }
}
