package ru.svoykrug.hub.connect;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    private static HttpOperationFailedException failure(Map<String, String> headers, String body) {
        return new HttpOperationFailedException("http://x", 429, "Too Many Requests", null, headers, body);
    }

    @Test
    void readsTheHeaderInSecondsOrAmoCrmsBodyField() {
        assertThat(RetryAfter.retryAfter(failure(Map.of("Retry-After", "3"), ""))).isEqualTo(Duration.ofSeconds(3));
        assertThat(RetryAfter.retryAfter(failure(Map.of("retry-after", " 7 "), ""))).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryAfter.retryAfter(failure(Map.of(), "{\"title\":\"Too Many Requests\",\"retry_after\": 300}")))
                .isEqualTo(Duration.ofSeconds(300));
        assertThat(RetryAfter.retryAfter(failure(Map.of(), "{\"success\":false}"))).isNull();
    }
}
