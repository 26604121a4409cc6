package ru.svoykrug.hub.analytics.churn;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.nightly.churn.*}: the customers the models are fitted on (past that many, an evenly spread
 * sample of exactly that many) and the time budget of one fit, in seconds.
 */
@ConfigurationProperties(prefix = "hub.nightly.churn")
public record ChurnSettings(@DefaultValue("100000") int fitSample, @DefaultValue("60") int fitSeconds) {
}
