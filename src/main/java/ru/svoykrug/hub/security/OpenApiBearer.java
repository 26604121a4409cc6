package ru.svoykrug.hub.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document declares the bearer scheme on every operation, so Swagger UI's "Authorize" takes
 * a token (from {@code data/demo-tokens.json} on the demo) and sends it with each call it tries.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiBearer {

    static final String SCHEME = "bearer-jwt";

    @Bean
    OpenAPI hubOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Svoy Krug Hub API").version("v1")
                        .description("Roles: OPS (/api/v1/ops/...), PARTNER (its own /api/v1/partners/{partnerId}/...), "
                                + "CUSTOMER (/api/v1/customers/me/...). Tokens: signed JWTs with claims sub, roles, partner, exp."))
                .components(new Components().addSecuritySchemes(SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList(SCHEME));
    }
}
