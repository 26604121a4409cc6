package ru.svoykrug.hub.simulate.yclients;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator keeps both of the vendor's limits, "200 a minute or 5 a second": a hub over either gets 429. */
class YclientsSimulatorLimitsTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aCallOverThePerMinuteLimitIsRefusedThoughTheSecondHasRoom() throws Exception {
        try (YclientsSimulator sim = YclientsSimulator.start(YclientsDataSet.of(3, 20), YclientsSimulator.COMPANY_ID)) {
            sim.requestsPerSecond(0);
            sim.requestsPerMinute(3);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                statuses.add(get(sim).statusCode());
            }
            assertThat(statuses).containsExactly(200, 200, 200, 429);
            assertThat(sim.maxRequestsInAnyMinute()).isEqualTo(4);
            assertThat(sim.tooManyRequests()).isEqualTo(1);
        }
    }

    private HttpResponse<String> get(YclientsSimulator sim) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/records/" + sim.companyId() + "?page=1&count=5"))
                .header("Authorization", "Bearer " + YclientsSimulator.PARTNER_TOKEN + ", User " + YclientsSimulator.USER_TOKEN)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
