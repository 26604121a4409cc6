package ru.svoykrug.hub.simulate.kit;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/** Writing a simulated vendor's answers: JSON bodies with their content type, late answers. */
public final class Answers {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Answers() {
    }

    /** A JSON answer, {@code application/json; charset=utf-8}. */
    public static ResponseDefinition json(int status, JsonNode body) {
        return json(status, body, "application/json");
    }

    /** A JSON answer of a media type of the vendor's own ({@code application/hal+json}, ...), in UTF-8. */
    public static ResponseDefinition json(int status, JsonNode body, String mediaType) {
        return jsonBuilder(status, body, mediaType).build();
    }

    /** The same, for an answer that carries headers of its own too. */
    public static ResponseDefinitionBuilder jsonBuilder(int status, JsonNode body, String mediaType) {
        return aResponse().withStatus(status).withHeader("Content-Type", mediaType + "; charset=utf-8")
                .withBody(JSON.writeValueAsString(body));
    }

    public static ResponseDefinition text(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/plain; charset=utf-8").withBody(body).build();
    }

    /** The answer, sent {@code millis} late (a vendor that hangs); at once when {@code millis <= 0}. */
    public static ResponseDefinition late(ResponseDefinition answer, long millis) {
        return millis <= 0 ? answer : ResponseDefinitionBuilder.like(answer).withFixedDelay((int) millis).build();
    }
}
