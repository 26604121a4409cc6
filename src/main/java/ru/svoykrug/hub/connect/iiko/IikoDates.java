package ru.svoykrug.hub.connect.iiko;

import ru.svoykrug.hub.connect.MappingException;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** iiko dates are {@code yyyy-MM-dd HH:mm:ss.fff} in the terminal's local time, with no offset. */
final class IikoDates {

    static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private IikoDates() {
    }

    static Instant parse(String text, ZoneId terminalZone, String field) {
        if (text == null || text.isBlank()) {
            throw new MappingException(field + " is missing");
        }
        try {
            return LocalDateTime.parse(text.trim(), FORMAT).atZone(terminalZone).toInstant();
        } catch (DateTimeParseException e) {
            throw new MappingException(field + " '" + text + "' is not a date-time");
        }
    }

    static String local(Instant instant, ZoneId terminalZone) {
        return FORMAT.format(instant.atZone(terminalZone));
    }
}
