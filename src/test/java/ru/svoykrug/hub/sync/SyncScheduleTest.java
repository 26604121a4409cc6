package ru.svoykrug.hub.sync;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A connection syncs on its own Quartz schedule, and a changed schedule takes effect. */
class SyncScheduleTest extends HubIntegrationTest {

    @Autowired
    ConnectionService connections;
    @Autowired
    SyncRuns runs;

    @Test
    void aConnectionSyncsOnItsSchedule() {
        try (YclientsSimulator sim = YclientsSimulator.start(YclientsDataSet.of(21, 100), 4564)) {
            ConnectionDefinition everyTwoSeconds = new ConnectionDefinition("scheduled", "Scheduled", "yclients", "Asia/Yekaterinburg",
                    false, "*/2 * * * * ?", Map.of("baseUrl", sim.baseUrl(), "companyId", "4564"),
                    Map.of("partnerToken", YclientsSimulator.PARTNER_TOKEN, "userToken", YclientsSimulator.USER_TOKEN));
            connections.ensure(everyTwoSeconds);

            await().atMost(Duration.ofSeconds(30)).until(() -> runs.list("scheduled", 10).stream()
                    .filter(r -> r.status() == SyncRunStatus.SUCCEEDED).count() >= 2);
            assertThat(runs.list("scheduled", 10)).allMatch(r -> r.trigger().equals("schedule"));

            connections.update(new ConnectionDefinition("scheduled", "Scheduled", "yclients", "Asia/Yekaterinburg", false,
                    TestConnections.NEVER, everyTwoSeconds.settings(), everyTwoSeconds.credentials()));
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                    .until(() -> runs.list("scheduled", 1).get(0).status() != SyncRunStatus.RUNNING);
            int settled = runs.list("scheduled", 100).size();
            await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                    .until(() -> true);
            assertThat(runs.list("scheduled", 100)).hasSize(settled);
        }
    }
}
