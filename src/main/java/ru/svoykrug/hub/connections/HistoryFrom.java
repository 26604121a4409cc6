package ru.svoykrug.hub.connections;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * The {@code historyFrom} setting, one format for every system: an ISO date ({@code 2015-01-01}, the
 * start of that day in the connection's zone) or an ISO instant with an offset
 * ({@code 2015-01-01T00:00:00+03:00}, {@code 2015-01-01T00:00:00Z}). A date-time without an offset is
 * refused: whose midnight it meant would be a guess.
 */
public final class HistoryFrom {

    public static final String SETTING = "historyFrom";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

    private HistoryFrom() {
    }

    /** Where the connection's history starts; {@code fallback} (an ISO date) when the setting is absent. */
    public static Instant of(PartnerConnection c, String fallback) {
        return parse(c.setting(SETTING, fallback), c);
    }

    /** A date (its start in {@code zone}) or an instant with an offset; anything else is an IllegalArgumentException. */
    public static Instant parse(String value, java.time.ZoneId zone) {
        String text = value == null ? "" : value.trim();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text, DATE).atStartOfDay(zone).toInstant();
            }
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected an ISO date (2015-01-01) or an ISO instant with an offset "
                    + "(2015-01-01T00:00:00+03:00)");
        }
    }

    static Instant parse(String value, PartnerConnection c) {
        String text = value.trim();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text, DATE).atStartOfDay(c.zone()).toInstant();
            }
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("Connection " + c.id() + ": historyFrom '" + text + "' is neither an ISO date "
                    + "(2015-01-01) nor an ISO instant with an offset (2015-01-01T00:00:00+03:00)");
        }
    }
}
