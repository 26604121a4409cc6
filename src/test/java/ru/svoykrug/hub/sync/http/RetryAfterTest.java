package ru.svoykrug.hub.sync.http;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    private static final Duration LONGEST = Duration.ofMinutes(10);

    private static HttpOperationFailedException failure(Map<String, String> headers, String body) {
        return new HttpOperationFailedException("http://x", 429, "Too Many Requests", null, headers, body);
    }

    private static Duration retryAfter(Map<String, String> headers, String body) {
        return RetryAfter.retryAfter(failure(headers, body), LONGEST);
    }

    @Test
    void readsTheHeaderInSecondsOrAmoCrmsBodyField() {
        assertThat(retryAfter(Map.of("Retry-After", "3"), "")).isEqualTo(Duration.ofSeconds(3));
        assertThat(retryAfter(Map.of("retry-after", " 7 "), "")).isEqualTo(Duration.ofSeconds(7));
        assertThat(retryAfter(Map.of(), "{\"title\":\"Too Many Requests\",\"retry_after\": 300}")).isEqualTo(Duration.ofSeconds(300));
        assertThat(retryAfter(Map.of(), "{\"success\":false}")).isNull();
    }

    @Test
    void aWaitLongerThanTheLongestIsCutAndAHugeOneDoesNotOverflow() {
        assertThat(retryAfter(Map.of("Retry-After", "86400"), "")).isEqualTo(LONGEST);
        assertThat(retryAfter(Map.of("Retry-After", "99999999999999999999999999999"), "")).isEqualTo(LONGEST);
        assertThat(retryAfter(Map.of(), "{\"retry_after\": 9223372036854775808000}")).isEqualTo(LONGEST);
        String inAWeek = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusDays(7));
        assertThat(retryAfter(Map.of("Retry-After", inAWeek), "")).isEqualTo(LONGEST);
        assertThat(RetryAfter.parse("600", Duration.ofSeconds(30))).as("the longest is a setting").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aMalformedValueIsIgnored() {
        assertThat(retryAfter(Map.of("Retry-After", "-5"), "")).isNull();
        assertThat(retryAfter(Map.of("Retry-After", "soon"), "")).isNull();
        assertThat(retryAfter(Map.of("Retry-After", "1.5"), "")).isNull();
    }
}
