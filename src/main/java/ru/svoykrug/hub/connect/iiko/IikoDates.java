package ru.svoykrug.hub.connect.iiko;

import ru.svoykrug.hub.staging.MappingException;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * iiko dates are {@code yyyy-MM-dd HH:mm:ss.fff} in the terminal's local time, with no offset. Resolved
 * strictly: {@code 2025-02-30} or hour 25 is a malformed record, not the last day of the month.
 */
final class IikoDates {

    static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS")
            .withResolverStyle(ResolverStyle.STRICT);

    private IikoDates() {
    }

    static Instant parse(String text, ZoneId terminalZone, String field) {
        if (text == null || text.isBlank()) {
            throw new MappingException(field + " is missing");
        }
        try {
            return LocalDateTime.parse(text.trim(), FORMAT).atZone(terminalZone).toInstant();
        } catch (DateTimeParseException e) {
            throw new MappingException(field + " is not an iiko date-time (yyyy-MM-dd HH:mm:ss.fff, a real day and time)");
        }
    }

    static String local(Instant instant, ZoneId terminalZone) {
        return FORMAT.format(instant.atZone(terminalZone));
    }
}
