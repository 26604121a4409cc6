package ru.svoykrug.hub.sync;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code hub.sync.*}: how runs go. The HTTP retry settings ({@code hub.sync.http.*}) are
 * {@link ru.svoykrug.hub.sync.http.HttpRetryProperties}.
 *
 * @param runTimeoutSeconds  a run whose streams have not finished by then is stopped (a connection's
 *                           {@code runTimeoutSeconds} setting overrides it)
 * @param streamParallelism  streams of one connection read side by side
 * @param mappingBroken      when a stream's rejected records say the vendor's format changed
 */
@ConfigurationProperties("hub.sync")
public record SyncProperties(@DefaultValue("7200") long runTimeoutSeconds, @DefaultValue("3") int streamParallelism,
                             @DefaultValue MappingBroken mappingBroken) {

    /** A stream fails MAPPING_BROKEN when at least {@code minRecords} were read and more than {@code rejectedShare} rejected. */
    public record MappingBroken(@DefaultValue("20") long minRecords, @DefaultValue("0.5") double rejectedShare) {
    }

    public Duration runTimeout() {
        return Duration.ofSeconds(runTimeoutSeconds);
    }
}
