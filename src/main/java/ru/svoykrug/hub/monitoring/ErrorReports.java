package ru.svoykrug.hub.monitoring;

import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.SentryOptions;
import io.sentry.protocol.Message;
import io.sentry.protocol.SentryException;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Unexpected errors to Sentry when {@code SENTRY_DSN} ({@code hub.alerts.sentry-dsn}) is set; without it,
 * nothing. Wired by hand ({@code io.sentry:sentry}; its Spring Boot starters are not served here): a sync
 * that failed for no known cause and a failed night, tagged with the connection or the night, and the
 * errors the API answers 500 for. No personal data: {@link #scrub} drops the user, the request,
 * breadcrumbs (log lines) and extras, and masks e-mail addresses and runs of ten digits or more (phones, cards; not dates) in
 * messages and exception values.
 */
@Component
public class ErrorReports {

    private static final Logger log = LoggerFactory.getLogger(ErrorReports.class);
    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+");
    private static final Pattern DIGITS = Pattern.compile("\\+?(?:\\d[ ()-]{0,2}){9,}\\d");

    private final boolean on;

    @Autowired
    ErrorReports(AlertProperties properties) {
        this(properties.sentryDsn(), properties.environment());
    }

    ErrorReports(String dsn, String environment) {
        this.on = dsn != null && !dsn.isBlank();
        if (on) {
            Sentry.init(options -> {
                options.setDsn(dsn);
                options.setEnvironment(environment);
                options.setSendDefaultPii(false);
                options.setAttachServerName(false);
                options.setBeforeSend(ErrorReports::scrub);
                options.setBeforeBreadcrumb((breadcrumb, hint) -> null);
            });
            log.info("Unexpected errors are reported to Sentry");
        }
    }

    public boolean on() {
        return on;
    }

    /** A sync that failed for no cause the hub knows of (not a refusal, a limit, an outage or bad records). */
    void syncFailed(String connectionId, String system, long runId, String errorClass, String message) {
        if (!on) {
            return;
        }
        SentryEvent event = new SentryEvent();
        event.setLevel(SentryLevel.ERROR);
        event.setMessage(message("Sync of " + connectionId + " failed: " + errorClass + ": " + message));
        event.setTag("connection", connectionId);
        event.setTag("system", system);
        event.setTag("syncRun", Long.toString(runId));
        event.setTag("errorClass", String.valueOf(errorClass));
        event.setFingerprints(List.of("sync-failed", connectionId, String.valueOf(errorClass)));
        Sentry.captureEvent(event);
    }

    void nightFailed(long nightId, String businessDate, String status) {
        if (!on) {
            return;
        }
        SentryEvent event = new SentryEvent();
        event.setLevel(SentryLevel.ERROR);
        event.setMessage(message("Night " + nightId + " for " + businessDate + " ended " + status));
        event.setTag("night", Long.toString(nightId));
        event.setTag("businessDate", String.valueOf(businessDate));
        event.setFingerprints(List.of("night-failed", String.valueOf(businessDate)));
        Sentry.captureEvent(event);
    }

    /** An error the API answers 500 for; {@code handler} names where (never the request's path or query). */
    public void apiError(Throwable error, String handler) {
        if (!on) {
            return;
        }
        Sentry.withScope(scope -> {
            scope.setTag("handler", handler);
            Sentry.captureException(error);
        });
    }

    /** Sends what is queued; for tests and shutdown. */
    void flush() {
        if (on) {
            Sentry.flush(5000);
        }
    }

    @PreDestroy
    void close() {
        if (on) {
            Sentry.close();
        }
    }

    static SentryEvent scrub(SentryEvent event, Object hint) {
        event.setUser(null);
        event.setRequest(null);
        event.setBreadcrumbs(null);
        event.setExtras(null);
        event.setServerName(null);
        if (event.getMessage() != null) {
            Message m = event.getMessage();
            m.setFormatted(mask(m.getFormatted()));
            m.setMessage(mask(m.getMessage()));
            m.setParams(null);
        }
        if (event.getExceptions() != null) {
            for (SentryException e : event.getExceptions()) {
                e.setValue(mask(e.getValue()));
            }
        }
        return event;
    }

    static String mask(String text) {
        if (text == null) {
            return null;
        }
        return DIGITS.matcher(EMAIL.matcher(text).replaceAll("[e-mail]")).replaceAll("[number]");
    }

    private static Message message(String text) {
        Message m = new Message();
        m.setFormatted(text);
        return m;
    }
}
