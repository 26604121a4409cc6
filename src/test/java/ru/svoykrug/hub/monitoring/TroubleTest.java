package ru.svoykrug.hub.monitoring;

import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static ru.svoykrug.hub.connections.ConnectionStatus.ACTIVE;
import static ru.svoykrug.hub.sync.SyncRunStatus.FAILED;
import static ru.svoykrug.hub.sync.SyncRunStatus.PARTIAL;

/** The plain words of a connection's last error, from the status and error class the sync records. */
class TroubleTest {

    @Test
    void eachKnownCauseHasItsWords() {
        assertThat(words(ConnectionStatus.CREDENTIALS_REJECTED, SyncRunStatus.CREDENTIALS_REJECTED, "CredentialsRejected", "clients: HTTP 401", 0))
                .isEqualTo("credentials rejected");
        assertThat(words(ACTIVE, PARTIAL, "PausedByVendor", "records: amoCRM answered 403", 0)).isEqualTo("rate limited");
        assertThat(words(ACTIVE, FAILED, "HttpOperationFailedException", "clients: HTTP 429 from https://x/api", 0)).isEqualTo("rate limited");
        assertThat(words(ACTIVE, FAILED, "HttpOperationFailedException", "clients: HTTP 503 from https://x/api", 0))
                .isEqualTo("partner system down");
        assertThat(words(ACTIVE, FAILED, "HttpHostConnectException", "clients: Connect to 127.0.0.1 refused", 0))
                .isEqualTo("partner system down");
        assertThat(words(ACTIVE, FAILED, "RunTimedOut", "The run was stopped after 7200 s", 0)).isEqualTo("partner system down");
        assertThat(words(ACTIVE, FAILED, "MAPPING_BROKEN", "records: 30 of 40 rejected", 30)).isEqualTo("vendor format changed");
        assertThat(words(ACTIVE, PARTIAL, null, "3 record(s) could not be mapped", 3)).isEqualTo("malformed records");
        assertThat(words(ACTIVE, FAILED, "NullPointerException", "clients: null", 0)).isEqualTo("sync failed (unexpected error)");
    }

    @Test
    void aWellConnectionHasNoTrouble() {
        assertThat(Trouble.of(ACTIVE, SyncRunStatus.SUCCEEDED, null, null, 0)).isNull();
        assertThat(Trouble.of(ACTIVE, null, null, null, 0)).isNull();
        assertThat(Trouble.of(ACTIVE, SyncRunStatus.RUNNING, null, null, 0)).isNull();
    }

    @Test
    void aSchedulesPeriodIsTheGapBetweenItsNextTwoFirings() {
        Instant now = Instant.parse("2026-12-02T10:07:00Z");
        assertThat(SchedulePeriod.of("0 */15 * * * ?", ZoneId.of("Europe/Moscow"), now)).isEqualTo(Duration.ofMinutes(15));
        assertThat(SchedulePeriod.of("0 0 3 * * ?", ZoneId.of("Europe/Moscow"), now)).isEqualTo(Duration.ofDays(1));
        assertThat(SchedulePeriod.of("not a cron", ZoneId.of("UTC"), now)).isNull();
        assertThat(SchedulePeriod.of("0 0 3 1 1 ? 2099", ZoneId.of("UTC"), now)).as("fires once more, then never").isNull();
    }

    private static String words(ConnectionStatus status, SyncRunStatus run, String errorClass, String message, long rejected) {
        Trouble trouble = Trouble.of(status, run, errorClass, message, rejected);
        return trouble == null ? null : trouble.words();
    }
}
