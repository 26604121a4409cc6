package ru.svoykrug.hub.security;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error of every path is application/problem+json without a stack trace, also those Tomcat or
 * Spring raise before a controller runs.
 */
class ErrorsAreProblemsTest extends HubIntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void errorsRaisedBeforeAnyControllerAreProblems() throws Exception {
        String ops = TestTokens.ops();
        Map<String, Integer> calls = new LinkedHashMap<>();
        calls.put("GET /api/v1/ops/sync-runs?connectionId=%zz", 400);
        calls.put("GET /api/v1/ops/sync-runs?connectionId=a%00b", 400);
        calls.put("GET /api/v1/ops/sync-runs?limit=%", 400);
        calls.put("GET /api/v1/ops/conn%zzections", 400);
        calls.put("GET /api/v1/ops/connections%00", 400);
        calls.put("GET /api/v1/ops/connections;jsessionid=1", 400);
        calls.put("GET /api/v1/ops/x/../connections", 400);
        calls.put("GET /api/v1/ops/%2e%2e/ops/connections", 400);
        calls.put("GET /../../etc/passwd", 400);
        calls.put("GET /api/v1/ops/connections%2Fx", 400);
        calls.put("GET /error", 404);
        calls.put("POST /error", 404);
        calls.put("DELETE /api/v1/ops/connections", 405);
        calls.put("PATCH /api/v1/ops/jobs/nightly/runs", 405);
        calls.put("CONNECT 127.0.0.1:443", 405);
        calls.put("CONNECT /api/v1/ops/connections", 405);
        calls.put("FOO /api/v1/ops/connections", 405);
        calls.put("TRACE /api/v1/ops/connections", 405);
        for (Map.Entry<String, Integer> call : calls.entrySet()) {
            String[] parts = call.getKey().split(" ", 2);
            assertProblem(RawHttp.send(port, parts[0], parts[1], ops, null, null), call.getValue(), call.getKey());
        }
    }

    @Test
    void unacceptableAndUnsupportedMediaTypesAreProblems() throws Exception {
        String ops = TestTokens.ops();
        assertProblem(RawHttp.send(port, "POST", "/api/v1/ops/jobs/nightly/runs", ops, "text/plain", "2026-01-01"), 415, "415");
        assertProblem(RawHttp.send(port, "POST", "/api/v1/ops/jobs/nightly/runs", ops, "application/json", "{\"businessDate\":"),
                400, "broken JSON");
        assertProblem(RawHttp.send(port, "POST", "/api/v1/ops/jobs/nightly/runs", ops, "application/json", "\u0000\uFFFF"),
                400, "not JSON at all");
    }

    @Test
    void aClientThatAcceptsOnlyHtmlStillGetsAProblem() throws Exception {
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/ops/connections"))
                        .header("Authorization", TestTokens.bearer(TestTokens.ops())).header("Accept", "text/html").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(406);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }

    static void assertProblem(RawHttp.Answer answer, int status, String what) {
        assertThat(answer.status()).as(what + ": " + answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).as(what).startsWith("application/problem+json");
        assertThat(answer.body()).as(what).contains("\"status\":" + status).doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("Tomcat").doesNotContain("<html");
    }
}
