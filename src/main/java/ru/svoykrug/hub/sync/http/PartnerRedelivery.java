package ru.svoykrug.hub.sync.http;

import org.apache.camel.LoggingLevel;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one redelivery policy of every partner call ({@code redeliveryPolicyRef: partnerRedelivery} in
 * {@code routes/partner-http.yaml}): exponential back-off from {@code hub.sync.http.redelivery-delay-ms},
 * doubling up to a minute, {@code hub.sync.http.max-redeliveries} times. Camel's own retry log lines are
 * off: they print the request's query and the vendor's answer ({@link RetryAfter} logs in the hub's words).
 */
@Configuration(proxyBeanMethods = false)
class PartnerRedelivery {

    private static final long LONGEST_BACK_OFF_MS = 60_000;

    @Bean
    RedeliveryPolicy partnerRedelivery(HttpRetryProperties http) {
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setMaximumRedeliveries(http.maxRedeliveries());
        policy.setRedeliveryDelay(http.redeliveryDelayMs());
        policy.setUseExponentialBackOff(true);
        policy.setBackOffMultiplier(2);
        policy.setMaximumRedeliveryDelay(LONGEST_BACK_OFF_MS);
        policy.setRetryAttemptedLogLevel(LoggingLevel.OFF);
        policy.setRetriesExhaustedLogLevel(LoggingLevel.OFF);
        policy.setLogStackTrace(false);
        policy.setLogRetryStackTrace(false);
        return policy;
    }
}
