package ru.svoykrug.hub.infra.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

import java.io.IOException;

/**
 * The error page of every error the servlet container forwards (a filter's {@code sendError}, an
 * exception outside a controller, a 501 for an unknown method), as problem+json whatever the client
 * accepts: status, title and a detail chosen by the status, never the exception's message or its trace.
 * Replaces Spring Boot's {@code BasicErrorController}.
 */
@Controller
class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = ErrorTitles.clientFacing(code instanceof Integer i && i >= 400 ? i : 404);
        if (status == 405 && response.getHeader("Allow") == null) {
            response.setHeader("Allow", ErrorTitles.ALLOWED_METHODS);
        }
        String path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri ? uri : request.getRequestURI();
        String title = ErrorTitles.title(status);
        Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (status >= 500 && exception instanceof Throwable t) {
            log.error("{} {} {}: {}", status, request.getMethod(), ProblemJson.printable(path), title, t);
        } else {
            ProblemJson.logClientError(status, request.getMethod(), path, title);
        }
        ProblemJson.write(response, status, title, ErrorTitles.detail(status), null);
    }
}
