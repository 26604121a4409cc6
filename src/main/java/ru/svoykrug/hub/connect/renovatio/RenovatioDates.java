package ru.svoykrug.hub.connect.renovatio;

import ru.svoykrug.hub.staging.MappingException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/** Renovatio speaks the clinic's local time as {@code dd.mm.yyyy hh:mm}, and dates as {@code dd.mm.yyyy}. */
final class RenovatioDates {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("dd.MM.uuuu HH:mm").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("dd.MM.uuuu HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd.MM.uuuu").withResolverStyle(ResolverStyle.STRICT);

    private RenovatioDates() {
    }

    /** Never echoes the text: in a medical connection a field's content is not for the logs. */
    static Instant parse(String text, ZoneId zone, String field) {
        if (text == null || text.isBlank()) {
            throw new MappingException(field + " is missing");
        }
        try {
            return LocalDateTime.parse(text.trim(), MINUTES).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new MappingException(field + " is not a date-time of the form dd.mm.yyyy hh:mm");
        }
    }

    /**
     * A document's date: Renovatio sends invoices' and payments' {@code date} with a time
     * ({@code dd.mm.yyyy hh:mm}, seconds too on some hosts) or without one ({@code dd.mm.yyyy}: the day's start).
     */
    static Instant dateWithOrWithoutTime(String text, ZoneId zone, String field) {
        if (text == null || text.isBlank()) {
            throw new MappingException(field + " is missing");
        }
        String trimmed = text.trim();
        try {
            return switch (trimmed.length()) {
                case 10 -> LocalDate.parse(trimmed, DAY).atStartOfDay(zone).toInstant();
                case 19 -> LocalDateTime.parse(trimmed, SECONDS).atZone(zone).toInstant();
                default -> LocalDateTime.parse(trimmed, MINUTES).atZone(zone).toInstant();
            };
        } catch (DateTimeParseException e) {
            throw new MappingException(field + " is not a date of the form dd.mm.yyyy, with or without hh:mm");
        }
    }

    static String minutes(Instant instant, ZoneId zone) {
        return MINUTES.format(instant.atZone(zone));
    }

    static String day(LocalDate date) {
        return DAY.format(date);
    }
}
