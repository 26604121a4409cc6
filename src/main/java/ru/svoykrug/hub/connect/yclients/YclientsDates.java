package ru.svoykrug.hub.connect.yclients;

import ru.svoykrug.hub.staging.MappingException;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;

/**
 * YCLIENTS mixes three date shapes inside one object: {@code 2019-01-16 16:00:00} (the company's local
 * time), {@code 2019-01-16T16:00:00+09:00} and {@code 2019-01-16T20:35:11+0900}.
 */
final class YclientsDates {

    // STRICT: an impossible date (2025-02-30, month 13, hour 25) is an error, never the month's last day
    private static final DateTimeFormatter ANY = DateTimeFormatter.ofPattern("uuuu-MM-dd[' ']['T']HH:mm:ss[XXX][XX]")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private YclientsDates() {
    }

    static Instant parse(String text, ZoneId companyZone, String field) {
        if (text == null || text.isBlank()) {
            throw new MappingException(field + " is missing");
        }
        try {
            TemporalAccessor parsed = ANY.parseBest(text.trim(), OffsetDateTime::from, LocalDateTime::from);
            return parsed instanceof OffsetDateTime odt ? odt.toInstant() : ((LocalDateTime) parsed).atZone(companyZone).toInstant();
        } catch (DateTimeParseException e) {
            throw new MappingException(field + " is not a date-time YCLIENTS sends");
        }
    }

    /** The company-local form YCLIENTS expects in {@code changed_after}. */
    static String local(Instant instant, ZoneId companyZone) {
        return LOCAL.format(instant.atZone(companyZone));
    }
}
