package ru.svoykrug.hub.sync.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The token clients (amoCRM, iiko) hold a connection on a 429 no longer than the Camel path would. */
class TokenAuthHttpClientTest {

    private static final Duration LONGEST = Duration.ofMinutes(10);

    @Test
    void aVendorsWaitIsHonouredUpToTheLongest() {
        assertThat(TokenAuthHttpClient.waitAsked(null, "{\"status\":429,\"retry_after\":300}", LONGEST)).isEqualTo(Duration.ofSeconds(300));
        assertThat(TokenAuthHttpClient.waitAsked("20", "", LONGEST)).isEqualTo(Duration.ofSeconds(20));
        assertThat(TokenAuthHttpClient.waitAsked(null, "{\"retry_after\":86400}", LONGEST)).isEqualTo(LONGEST);
    }

    @Test
    void aHugeOrMalformedWaitNeitherOverflowsNorParksTheConnection() {
        assertThat(TokenAuthHttpClient.waitAsked(null, "{\"retry_after\":99999999999999999999999}", LONGEST)).isEqualTo(LONGEST);
        assertThat(TokenAuthHttpClient.waitAsked("99999999999999999999999", "", LONGEST)).isEqualTo(LONGEST);
        assertThat(TokenAuthHttpClient.waitAsked("tomorrow", "", LONGEST)).isEqualTo(Duration.ofSeconds(1));
        assertThat(TokenAuthHttpClient.waitAsked(null, "{\"retry_after\":\"soon\"}", LONGEST)).isEqualTo(Duration.ofSeconds(1));
    }
}
