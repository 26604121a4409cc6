package ru.svoykrug.hub.partners;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static ru.svoykrug.hub.partners.PartnerApiClient.json;

/** The connection test over HTTP against the YCLIENTS simulator: plain-words outcomes, the vendor's status, never its body. */
class ConnectionTestApiTest extends HubIntegrationTest {

    @LocalServerPort
    int port;

    private YclientsSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) sim.close();
    }

    private Map<String, Object> yclients(String baseUrl, String companyId, String userToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "probe-yclients");
        body.put("system", "yclients");
        body.put("schedule", TestConnections.NEVER);
        body.put("settings", Map.of("baseUrl", baseUrl, "companyId", companyId));
        body.put("credentials", Map.of("partnerToken", YclientsSimulator.PARTNER_TOKEN, "userToken", userToken));
        return body;
    }

    @Test
    void signsInReadsOnePageAndSaysWhatWentWrongInPlainWords() {
        sim = YclientsSimulator.start(YclientsDataSet.of(41, 60), 4564);
        PartnerApiClient partner = new PartnerApiClient(port, TestTokens.partner("probe"));
        String test = "/api/v1/partners/probe/connections/test";

        JsonNode ok = json(partner.send("POST", test, yclients(sim.baseUrl(), "4564", YclientsSimulator.USER_TOKEN)));
        assertThat(ok.path("ok").asBoolean()).as(ok.toString()).isTrue();
        assertThat(ok.path("outcome").asString()).isEqualTo("OK");
        assertThat(ok.path("vendorStatus").asInt()).isEqualTo(200);

        HttpResponse<String> rejected = partner.send("POST", test, yclients(sim.baseUrl(), "4564", "wrong-user-token"));
        assertThat(rejected.statusCode()).isEqualTo(200);
        assertThat(json(rejected).path("outcome").asString()).isEqualTo("CREDENTIALS_REJECTED");
        assertThat(json(rejected).path("vendorStatus").asInt()).isEqualTo(401);
        assertThat(rejected.body()).as("never the vendor's body").doesNotContain("авторизац").doesNotContain("wrong-user-token");

        JsonNode company = json(partner.send("POST", test, yclients(sim.baseUrl(), "999", YclientsSimulator.USER_TOKEN)));
        assertThat(company.path("outcome").asString()).isEqualTo("ACCESS_REFUSED");
        assertThat(company.path("message").asString()).contains("company");

        JsonNode unreachable = json(partner.send("POST", test, yclients("http://127.0.0.1:9", "4564", YclientsSimulator.USER_TOKEN)));
        assertThat(unreachable.path("outcome").asString()).isEqualTo("UNREACHABLE");

        sim.storm429(5, 1);
        JsonNode limited = json(partner.send("POST", test, yclients(sim.baseUrl(), "4564", YclientsSimulator.USER_TOKEN)));
        assertThat(limited.path("outcome").asString()).isEqualTo("RATE_LIMITED");
        assertThat(limited.path("vendorStatus").asInt()).isEqualTo(429);

        // settings that fail the system's checks are a 400 before anything is asked
        assertThat(partner.send("POST", test, yclients(sim.baseUrl(), "not-digits", "x")).statusCode()).isEqualTo(400);

        // a saved connection, with its stored credentials; not another partner's
        sim.liftRateLimit();
        sim.storm429(0, 1);
        assertThat(partner.send("POST", "/api/v1/partners/probe/connections",
                yclients(sim.baseUrl(), "4564", YclientsSimulator.USER_TOKEN)).statusCode()).isEqualTo(201);
        JsonNode saved = json(partner.send("POST", "/api/v1/partners/probe/connections/probe-yclients/test", null));
        assertThat(saved.path("outcome").asString()).as(saved.toString()).isEqualTo("OK");
        PartnerApiClient other = new PartnerApiClient(port, TestTokens.partner("probe-other"));
        assertThat(other.send("POST", "/api/v1/partners/probe-other/connections/probe-yclients/test", null).statusCode()).isEqualTo(404);
    }
}
