package ru.svoykrug.hub.infra.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;

/**
 * {@code /actuator/prometheus} asked for a format it does not write (an {@code Accept} of
 * {@code image/png}, an empty one, or one that is no media type) fails inside Spring Boot with a
 * NullPointerException, a 500; here it is the 406 it is.
 */
@Component
class PrometheusAccept extends OncePerRequestFilter {

    private static final List<MediaType> WRITTEN = List.of(MediaType.TEXT_PLAIN,
            MediaType.parseMediaType("application/openmetrics-text"), MediaType.parseMediaType("application/vnd.google.protobuf"));

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().endsWith("/actuator/prometheus");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String accept = request.getHeader("Accept");
        if (accept != null && (accept.isBlank() || !acceptable(accept))) {
            ProblemJson.logClientError(406, request.getMethod(), request.getRequestURI(), "Not Acceptable");
            ProblemJson.write(response, 406, "Not Acceptable", "Prometheus metrics are text/plain or application/openmetrics-text", null);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean acceptable(String accept) {
        try {
            return MediaType.parseMediaTypes(accept).stream().anyMatch(m -> WRITTEN.stream().anyMatch(m::isCompatibleWith));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
