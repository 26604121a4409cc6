package ru.svoykrug.hub.sync;

import org.apache.camel.http.base.HttpOperationFailedException;
import ru.svoykrug.hub.sync.http.VendorAnswers;

/** A failed stream in words fit for the run's record and the log: never a vendor's answer, nothing of a medical one. */
final class RunErrors {

    private RunErrors() {
    }

    static String credentialsRejection(Throwable error, boolean medical) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CredentialsRejectedException) {
                return t.getMessage();
            }
            if (t instanceof HttpOperationFailedException http && (http.getStatusCode() == 401 || http.getStatusCode() == 403)) {
                return "HTTP " + http.getStatusCode() + " " + vendorMessage(http, medical);
            }
        }
        return null;
    }

    static String describe(Throwable error, boolean medical) {
        if (error instanceof HttpOperationFailedException http) {
            return "HTTP " + http.getStatusCode() + " from " + VendorAnswers.withoutQuery(http.getUri()) + " " + vendorMessage(http, medical);
        }
        return error.getMessage();
    }

    /**
     * The vendor's error code, never its answer (it may echo a login, a key or personal data), and
     * nothing at all of a medical system's answer.
     */
    private static String vendorMessage(HttpOperationFailedException http, boolean medical) {
        if (medical) {
            return "(the answer of a medical system is not recorded)";
        }
        String code = VendorAnswers.errorCode(http.getResponseBody());
        return code == null ? "" : "(error " + code + ")";
    }

}
