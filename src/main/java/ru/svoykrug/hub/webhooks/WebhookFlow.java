package ru.svoykrug.hub.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.http.HttpHeaders;
import org.springframework.integration.http.dsl.Http;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import ru.svoykrug.hub.infra.web.ProblemJson;

/**
 * The webhook door, on Spring Integration: an inbound HTTP gateway at
 * {@code POST /webhooks/v1/{connectionId}/{secret}}, one address per connection (its secret from
 * {@code POST /api/v1/partners/{partnerId}/connections/{id}/webhook}). The body is read as bytes and
 * dropped: a notification only says "something changed", the sync reads what through the vendor's API, so
 * a forged or lost one changes no data. A good secret answers 202 and hands the connection to
 * {@link WebhookDebounce}; a bad one, or an unknown or deleted connection, 401 problem+json, counted
 * ({@code hub.webhooks.rejected}).
 */
@Configuration(proxyBeanMethods = false)
class WebhookFlow {

    static final String PATH = "/webhooks/v1/{connectionId}/{secret}";

    @Bean
    IntegrationFlow webhooks(WebhookSecrets secrets, WebhookDebounce debounce, MeterRegistry meters) {
        Counter accepted = meters.counter("hub.webhooks.accepted");
        Counter rejected = meters.counter("hub.webhooks.rejected");
        return IntegrationFlow
                .from(Http.inboundGateway(PATH)
                        .requestMapping(m -> m.methods(HttpMethod.POST))
                        .requestPayloadType(byte[].class)
                        .headerExpression("connectionId", "#pathVariables.connectionId")
                        .headerExpression("secret", "#pathVariables.secret"))
                .handle((payload, headers) -> {
                    String connectionId = headers.get("connectionId", String.class);
                    if (!secrets.matches(connectionId, headers.get("secret", String.class))) {
                        rejected.increment();
                        ProblemJson.logClientError(401, "POST", "/webhooks/v1/" + ProblemJson.printable(connectionId) + "/…",
                                "Webhook secret rejected");
                        return answer(HttpStatus.UNAUTHORIZED, ProblemJson.body(401, "Unauthorized",
                                "This webhook address is not one the hub gave", null), ProblemJson.CONTENT_TYPE);
                    }
                    accepted.increment();
                    debounce.notified(connectionId);
                    return answer(HttpStatus.ACCEPTED, "{\"status\":\"ACCEPTED\"}", "application/json");
                })
                .get();
    }

    private static Message<String> answer(HttpStatus status, String body, String contentType) {
        return MessageBuilder.withPayload(body)
                .setHeader(HttpHeaders.STATUS_CODE, status)
                .setHeader(MessageHeaders.CONTENT_TYPE, contentType)
                .build();
    }
}
