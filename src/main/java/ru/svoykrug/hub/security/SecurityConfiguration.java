package ru.svoykrug.hub.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import ru.svoykrug.hub.infra.web.ErrorTitles;
import ru.svoykrug.hub.infra.web.ProblemJson;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.io.IOException;

/**
 * The rule of every path. Nothing reaches the hub's data or starts its work without a role that allows
 * it; what is not named here needs at least a valid token. Stateless: no session, no cookie, so no CSRF.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {

    static final String[] OPEN_DOCS = {"/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**"};
    /** the ops dashboard's page, scripts and charting library: no data in them (it comes from the API, with a token) */
    static final String[] OPEN_DASHBOARD = {"/ops", "/ops/", "/ops/index.html", "/ops/ops.js", "/ops/ops.css",
            "/webjars/echarts/**"};

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(paths -> paths
                        // the error page answers for requests already refused or failed; it shows nothing of the hub
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(Role.OPS.name())
                        .requestMatchers(OPEN_DOCS).permitAll()
                        .requestMatchers(HttpMethod.GET, OPEN_DASHBOARD).permitAll()
                        // partner systems' webhooks: no token, the secret in the address (webhooks package)
                        .requestMatchers(HttpMethod.POST, "/webhooks/v1/*/*").permitAll()
                        .requestMatchers("/api/v1/ops", "/api/v1/ops/**").hasRole(Role.OPS.name())
                        .requestMatchers("/api/v1/partners/{" + PartnerAccess.PARTNER_ID + "}",
                                "/api/v1/partners/{" + PartnerAccess.PARTNER_ID + "}/**").access(new PartnerAccess())
                        .requestMatchers("/api/v1/customers/me", "/api/v1/customers/me/**").hasRole(Role.CUSTOMER.name())
                        .requestMatchers("/error").permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(rolesFromClaim()))
                        .authenticationEntryPoint(unauthorized())
                        .accessDeniedHandler(forbidden()))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized()).accessDeniedHandler(forbidden()))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable);
        return http.build();
    }

    /**
     * None of Spring Security's own observations (each filter of the chain, every authentication and authorization,
     * as timers and traces): they were a tenth of the hub's CPU per API request under load (BENCHMARKS.md, "The
     * customer API"), and no dashboard or alert reads them. Turned off here rather than by
     * {@code management.observations.enable.spring.security}, which left every filter wrapped in a no-op
     * observation built per request. The filters and their checks run as before; http.server.requests still times
     * every request.
     */
    @Bean
    static SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** {@code roles: ["OPS"]} becomes the authority {@code ROLE_OPS}. */
    static JwtAuthenticationConverter rolesFromClaim() {
        JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
        authorities.setAuthoritiesClaimName(TokenClaims.ROLES);
        authorities.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(authorities);
        return converter;
    }

    /** 401 with {@code WWW-Authenticate: Bearer ...} (saying whether the token was missing, expired or forged) and a problem. */
    static AuthenticationEntryPoint unauthorized() {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        return (request, response, e) -> {
            bearer.commence(request, response, e);
            refuse(request, response, 401, "Unauthorized", detail(e));
        };
    }

    static AccessDeniedHandler forbidden() {
        BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
        return (request, response, e) -> {
            bearer.handle(request, response, e);
            refuse(request, response, 403, "Forbidden", "The token's role does not allow this request");
        };
    }

    /** Spring Security's firewall: {@code ;}, {@code ..}, encoded slashes, NUL and the like in a path or header. */
    @Bean
    RequestRejectedHandler requestRejected() {
        return (request, response, e) -> {
            if (!ErrorTitles.knownMethod(request.getMethod())) {
                response.setHeader("Allow", ErrorTitles.ALLOWED_METHODS);
                refuse(request, response, 405, "Method Not Allowed", "This method is not allowed here");
            } else {
                refuse(request, response, 400, "Bad request", "The request's path or headers are not accepted");
            }
        };
    }

    private static String detail(AuthenticationException e) {
        return e.getClass().getSimpleName().contains("Credentials") || request(e) ? "A bearer token is required"
                : "The bearer token is not valid: forged, expired or not for this hub";
    }

    private static boolean request(AuthenticationException e) {
        return e instanceof org.springframework.security.authentication.InsufficientAuthenticationException;
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        ProblemJson.logClientError(status, request.getMethod(), request.getRequestURI(), title);
        ProblemJson.write(response, status, title, detail, null);
    }
}
