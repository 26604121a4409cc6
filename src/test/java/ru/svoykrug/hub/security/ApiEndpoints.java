package ru.svoykrug.hub.security;

import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every endpoint the running hub serves under {@code /api/}, read from Spring's handler mappings, so
 * endpoints added later (by anyone) are checked without editing the tests that use this.
 */
record ApiEndpoints(List<Endpoint> all) {

    static ApiEndpoints of(RequestMappingHandlerMapping mapping) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = e.getKey();
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/")) continue;
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    endpoints.add(new Endpoint(method.name(), pattern, e.getValue()));
                }
            }
        }
        endpoints.sort(Comparator.comparing(Endpoint::pattern).thenComparing(Endpoint::method));
        return new ApiEndpoints(List.copyOf(endpoints));
    }

    List<Endpoint> under(String prefix) {
        return all.stream().filter(e -> e.pattern().startsWith(prefix)).toList();
    }

    record Endpoint(String method, String pattern, HandlerMethod handler) {

        /** The path with each variable filled: {@code partnerId} by the given partner, others by {@code value}. */
        String path(String partnerId, String value) {
            return pattern.replaceAll("\\{partnerId[^}]*}", partnerId).replaceAll("\\{[^}]+}", value);
        }

        boolean hasBody() {
            return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        }

        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }
}
