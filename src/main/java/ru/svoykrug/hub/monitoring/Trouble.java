package ru.svoykrug.hub.monitoring;

import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.sync.MappingBrokenException;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is wrong with a connection, in the words a night shift uses, from its status and its last run's
 * status, error class and message (which carry an HTTP status, never a vendor's answer). {@link #UNEXPECTED}
 * is what none of the known causes explains: those go to Sentry.
 */
public enum Trouble {
    CREDENTIALS_REJECTED("credentials rejected"),
    RATE_LIMITED("rate limited"),
    PARTNER_DOWN("partner system down"),
    FORMAT_CHANGED("vendor format changed"),
    MALFORMED_RECORDS("malformed records"),
    UNEXPECTED("sync failed (unexpected error)");

    /** Errors of the wire or of the vendor's side: the partner's system is not answering as it should. */
    private static final Set<String> UNREACHABLE = Set.of("ConnectException", "HttpHostConnectException",
            "SocketTimeoutException", "NoRouteToHostException", "UnknownHostException", "VendorTimeoutException",
            "RunTimedOut", "Abandoned", "SSLException", "NoHttpResponseException", "ConnectTimeoutException",
            "InterruptedIOException", "SocketException");
    private static final Pattern HTTP_STATUS = Pattern.compile("HTTP (\\d{3})");

    private final String words;

    Trouble(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }

    /** Null when the connection is well. */
    public static Trouble of(ConnectionStatus status, SyncRunStatus lastRun, String errorClass, String errorMessage,
                             long lastRunRejected) {
        if (status == ConnectionStatus.CREDENTIALS_REJECTED || lastRun == SyncRunStatus.CREDENTIALS_REJECTED) {
            return CREDENTIALS_REJECTED;
        }
        if (lastRun == null || lastRun == SyncRunStatus.RUNNING || lastRun == SyncRunStatus.SUCCEEDED) {
            return null;
        }
        if (MappingBrokenException.ERROR_CLASS.equals(errorClass)) {
            return FORMAT_CHANGED;
        }
        if ("PausedByVendor".equals(errorClass)) {
            return RATE_LIMITED;
        }
        if (errorClass == null) {
            return lastRunRejected > 0 ? MALFORMED_RECORDS : null;
        }
        Integer http = httpStatus(errorMessage);
        if (http != null) {
            if (http == 429) {
                return RATE_LIMITED;
            }
            if (http == 401 || http == 403) {
                return CREDENTIALS_REJECTED;
            }
            return PARTNER_DOWN;
        }
        if (UNREACHABLE.contains(errorClass) || errorClass.toLowerCase(Locale.ROOT).contains("timeout")) {
            return PARTNER_DOWN;
        }
        if (errorClass.contains("Json") || errorClass.contains("Parse") || errorClass.contains("Mapping")) {
            return FORMAT_CHANGED;
        }
        return UNEXPECTED;
    }

    private static Integer httpStatus(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = HTTP_STATUS.matcher(message);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }
}
