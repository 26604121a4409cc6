package ru.svoykrug.hub.infra.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's last word, as problem+json instead of its HTML page with the server's version: the errors
 * Tomcat answers itself before any servlet runs (a broken {@code %} escape or a NUL in the path, a path
 * that climbs above the root, a request line it cannot read), and any error no one else wrote a body for.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        status = ErrorTitles.clientFacing(status);
        String title = ErrorTitles.title(status);
        String path = request.getCoyoteRequest().requestURI().toString();
        ProblemJson.logClientError(status, request.getCoyoteRequest().method().toString(), path, title);
        try {
            response.setStatus(status);
            if (status == 405) {
                response.setHeader("Allow", ErrorTitles.ALLOWED_METHODS);
            }
            response.setContentType(ProblemJson.CONTENT_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(ProblemJson.body(status, title, ErrorTitles.detail(status), null));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException ignored) {
            // the client is gone or the response already ended: nothing left to tell it
        }
    }
}
