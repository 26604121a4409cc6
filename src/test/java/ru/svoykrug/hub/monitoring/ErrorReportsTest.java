package ru.svoykrug.hub.monitoring;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sentry, against a local HTTP receiver standing in for it (a DSN pointing at localhost): a failed sync,
 * a failed night and an API error arrive tagged with their connection, night or handler, with no phone
 * and no e-mail address in them.
 */
class ErrorReportsTest {

    private final LocalReceiver sentry = LocalReceiver.start();
    private ErrorReports reports;

    @AfterEach
    void stop() {
        if (reports != null) reports.close();
        sentry.close();
    }

    @Test
    void unexpectedErrorsReachSentryWithTheirConnectionOrNightAndNoPersonalData() {
        reports = new ErrorReports("http://publickey@127.0.0.1:" + sentry.port() + "/42", "test");
        assertThat(reports.on()).isTrue();

        reports.syncFailed("mindal-yclients", "yclients", 17, "NullPointerException",
                "clients: customer +7 916 555-12-34 (anna@example.com) has no card");
        reports.nightFailed(5, "2026-11-25", "FAILED");
        reports.apiError(new IllegalStateException("duplicate key (phone)=(+79165551234)"), "GET /api/v1/customers/me");
        reports.flush();

        await().atMost(Duration.ofSeconds(20)).until(() -> envelopes().size() >= 3);
        List<LocalReceiver.Received> received = sentry.received();
        assertThat(received).allSatisfy(r -> assertThat(r.path()).isEqualTo("/api/42/envelope/"));
        String all = envelopes().stream().collect(Collectors.joining("\n"));
        assertThat(all).contains("\"connection\":\"mindal-yclients\"").contains("\"syncRun\":\"17\"")
                .contains("\"night\":\"5\"").contains("\"businessDate\":\"2026-11-25\"")
                .contains("Night 5 for 2026-11-25 ended FAILED")
                .contains("\"handler\":\"GET /api/v1/customers/me\"").contains("IllegalStateException")
                .contains("\"environment\":\"test\"");
        assertThat(all).doesNotContain("916 555").doesNotContain("79165551234").doesNotContain("anna@example.com")
                .contains("[number]").contains("[e-mail]");
    }

    @Test
    void withoutADsnNothingIsSent() {
        reports = new ErrorReports("", "test");
        assertThat(reports.on()).isFalse();
        reports.syncFailed("c", "yclients", 1, "X", "y");
        reports.flush();
        assertThat(sentry.received()).isEmpty();
    }

    @Test
    void maskingKeepsDatesAndIdsButNotPhonesOrAddresses() {
        assertThat(ErrorReports.mask("night 2026-11-25, run 123456, phone +7 (916) 555-12-34, mail a.b@c.ru"))
                .isEqualTo("night 2026-11-25, run 123456, phone [number], mail [e-mail]");
    }

    private List<String> envelopes() {
        return sentry.received().stream().map(LocalReceiver.Received::body).filter(b -> b.contains("\"type\":\"event\"")).toList();
    }
}
