package ru.svoykrug.hub.privacy;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** The log's {@code %m}: the message with every phone masked ({@link Masking#phones}); see logback-spring.xml. */
public class MaskedMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Masking.phones(super.convert(event));
    }
}
