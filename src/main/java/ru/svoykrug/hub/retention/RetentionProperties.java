package ru.svoykrug.hub.retention;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.time.ZoneId;

/**
 * How long the hub keeps what it records about its work ({@code hub.retention.*}): finished sync runs
 * (each connection's newest is kept whatever its age), dead letters (by when their record was last
 * read), audit entries; when the job runs (Quartz cron, in {@code zone}).
 */
@ConfigurationProperties("hub.retention")
public record RetentionProperties(@DefaultValue("365d") Duration syncRuns,
                                  @DefaultValue("90d") Duration deadLetters,
                                  @DefaultValue("1095d") Duration audit,
                                  @DefaultValue("0 30 4 * * ?") String schedule,
                                  @DefaultValue("Europe/Moscow") ZoneId zone) {

    public RetentionProperties {
        for (Duration d : new Duration[]{syncRuns, deadLetters, audit}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("hub.retention periods are positive durations (e.g. 90d)");
            }
        }
    }
}
