package ru.svoykrug.hub.partners;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A partner cannot point the hub at the hub's own network; ops can allow it (the demo's loopback simulators). */
class PartnerAddressesTest {

    private final PartnerAddresses refusing = new PartnerAddresses(false);

    @Test
    void addressesOnTheHubsOwnNetworkAreRefused() {
        for (String url : List.of("http://127.0.0.1:8080/api", "http://localhost/api", "http://10.1.2.3", "http://172.16.0.9",
                "http://192.168.1.1", "http://169.254.169.254/latest/meta-data", "http://0.0.0.0:5432", "http://100.64.1.1",
                "http://[::1]:8123", "http://[fd00::1]", "http://[fe80::1]")) {
            assertThat(refusing.problems(Map.of("baseUrl", url))).as(url).singleElement()
                    .satisfies(p -> assertThat(p).startsWith("settings.baseUrl: expected a public address"));
        }
    }

    @Test
    void publicAddressesPassAndOpsMayAllowPrivateOnes() {
        for (String url : List.of("https://93.184.216.34/api/v1", "http://8.8.8.8", "https://[2a00:1450:4010:c05::64]/api")) {
            assertThat(refusing.problems(Map.of("baseUrl", url))).as(url).isEmpty();
        }
        assertThat(refusing.problems(Map.of("companyId", "1"))).as("no address to judge").isEmpty();
        assertThat(new PartnerAddresses(true).problems(Map.of("baseUrl", "http://127.0.0.1:8080"))).isEmpty();
    }
}
