package ru.svoykrug.hub.connect.renovatio;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import ru.svoykrug.hub.DatabaseDump;
import ru.svoykrug.hub.connect.SyncScenario;
import ru.svoykrug.hub.simulate.renovatio.RenovatioDataSet;
import ru.svoykrug.hub.simulate.renovatio.RenovatioSimulator;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Medical secrecy, proved end to end: the simulated clinic puts diagnoses, service titles, doctors,
 * programmes and comments into every record, malformed ones included, and answers errors that quote a
 * diagnosis (inside a 200, and as the body of a 502 and of a 404). After full syncs through those errors, no word of it is in any table of any schema of the
 * database, nor in anything the hub logged meanwhile (at DEBUG for the hub and Camel's error handler).
 */
class MedicalSecrecyTest extends SyncScenario {

    /** Words of the medical text; any of them in the dump or the log is a leak. */
    private static final List<String> LEAKS = List.of("МЕТКА", "тонзиллит", "J35.0", "УЗИ", "щитовидной", "Айболитова",
            "Премиум", "жалобы", "Пациент ");

    @Autowired
    DataSource dataSource;

    private final StringBuilder log = new StringBuilder();
    private final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            synchronized (log) {
                log.append(event.getLoggerName()).append(' ').append(event.getFormattedMessage()).append('\n');
                if (event.getThrowableProxy() != null) {
                    log.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
                }
            }
        }
    };
    private final Map<String, Level> levels = new java.util.HashMap<>();

    @BeforeEach
    void captureLogs() {
        for (String name : List.of("ru.svoykrug", "org.apache.camel.processor.errorhandler")) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            levels.put(name, logger.getLevel());
            logger.setLevel(Level.DEBUG);
        }
        capture.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(capture);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(capture);
        levels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    }

    @Test
    void noMedicalTextReachesTheDatabaseOrTheLog() throws Exception {
        RenovatioSimulator sim = started(RenovatioSimulator.start(
                new RenovatioDataSet(31, 900, 7, ZoneId.of("Europe/Moscow"), Instant.now())));
        connect(RenovatioConnections.medical("rn-secret", sim));

        sim.errorsIn200(3); // the first call of each stream: the run stores nothing
        assertThat(sync("rn-secret").status()).isEqualTo(SyncRunStatus.FAILED);
        sim.fail5xx(2);
        var run = sync("rn-secret");
        assertThat(run.status()).isEqualTo(SyncRunStatus.PARTIAL);
        sim.failHttp(404, 3); // not retried: the vendor's body reaches the sync runner, which must not keep it
        var rejectedByProxy = sync("rn-secret");
        assertThat(rejectedByProxy.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(rejectedByProxy.errorMessage()).contains("HTTP 404");
        sim.denyMethod("getPayments");
        assertThat(sync("rn-secret").status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);

        // what was kept is there: rows, and dead letters with the record's id, failing field and reason only
        assertThat(run.recordsRejected()).isEqualTo(sim.data().truth().rejected()).isGreaterThan(100);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.sale WHERE connection_id = 'rn-secret'", Integer.class))
                .isEqualTo(sim.data().truth().saleRows());
        assertThat(jdbc.queryForList("SELECT fields FROM ops.dead_letter WHERE connection_id = 'rn-secret'", String.class))
                .containsOnly("services[].price", "time_start", "status", "id");

        String dump = DatabaseDump.everyTable(dataSource);
        assertThat(dump).contains("rn-secret").as("no value of a rejected record is kept")
                .doesNotContain("договорная").doesNotContain("31.02.2025 25:70");
        for (String leak : LEAKS) {
            assertThat(dump).as("the database dump quotes medical text").doesNotContain(leak);
        }
        String logged;
        synchronized (log) {
            logged = log.toString();
        }
        assertThat(logged).contains("rn-secret").contains("ended PARTIAL").contains("HTTP 502");
        for (String leak : LEAKS) {
            assertThat(logged).as("the log quotes medical text").doesNotContain(leak);
        }
    }
}
