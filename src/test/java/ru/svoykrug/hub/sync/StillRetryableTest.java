package ru.svoykrug.hub.sync;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.sync.http.HttpRetryProperties;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the partner-http error handler asks before each redelivery (its {@code retryWhile}). */
class StillRetryableTest {

    private final Predicate stillRetryable = new PagedStreamSteps().stillRetryable(new HttpRetryProperties(3, 500, 600));

    @Test
    void aBurstLimitAVendorFaultOrADroppedConnectionIsRetriedWhileAttemptsRemain() {
        assertThat(stillRetryable.matches(failed(http(429), 1))).isTrue();
        assertThat(stillRetryable.matches(failed(http(503), 3))).isTrue();
        assertThat(stillRetryable.matches(failed(new IOException("reset"), 2))).isTrue();
        assertThat(stillRetryable.matches(failed(http(429), 4))).as("attempts used up").isFalse();
    }

    @Test
    void aFailureThatNoAttemptCanMendEndsTheRetriesWhateverStartedThem() {
        assertThat(stillRetryable.matches(failed(new CredentialsRejectedException("refresh refused"), 1))).isFalse();
        assertThat(stillRetryable.matches(failed(http(401), 1))).isFalse();
        assertThat(stillRetryable.matches(failed(http(400), 2))).isFalse();
    }

    private static Exchange failed(Exception failure, int redelivery) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setException(failure);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, redelivery);
        return exchange;
    }

    private static HttpOperationFailedException http(int status) {
        return new HttpOperationFailedException("http://vendor.example/api", status, "status " + status, null, Map.of(), "");
    }
}
