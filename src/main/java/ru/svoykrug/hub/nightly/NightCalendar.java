package ru.svoykrug.hub.nightly;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Which business dates a night may be run for: from the programme's start (a configured date, else the
 * local day of the earliest staged sale) to yesterday in the programme's zone. A night for a day that has
 * not ended would post activations and expiries early into the append-only ledger; a night for a day
 * before any sale is an operator's slip.
 */
@Component
public class NightCalendar {

    private final Clock clock;
    private final JdbcTemplate jdbc;
    private final ZoneId zone;
    private final LocalDate configuredStart;

    NightCalendar(Clock clock, JdbcTemplate jdbc, NightlyProperties properties) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.zone = properties.zone();
        this.configuredStart = properties.programmeStart();
    }

    /** The day that ended last in the programme's zone: the latest date a night may be run for. */
    public LocalDate yesterday() {
        return LocalDate.now(clock.withZone(zone)).minusDays(1);
    }

    /** The configured start, else the earliest staged sale's local day; empty when neither exists. */
    public Optional<LocalDate> programmeStart() {
        if (configuredStart != null) {
            return Optional.of(configuredStart);
        }
        // the earliest instant through its index, then the local days of the sales of its first 24 hours
        // (partners' zones differ by at most a day)
        return Optional.ofNullable(jdbc.queryForObject("""
                SELECT min((occurred_at AT TIME ZONE zone)::date) FROM staging.sale
                 WHERE occurred_at < (SELECT min(occurred_at) FROM staging.sale) + interval '1 day'""", LocalDate.class));
    }

    /** @throws NightOutOfRangeException when the date is not one a night may be run for */
    public void requireAllowed(LocalDate date) {
        LocalDate to = yesterday();
        Optional<LocalDate> from = programmeStart();
        if (from.isEmpty()) {
            throw new NightOutOfRangeException(date, null, to, zone);
        }
        if (date.isBefore(from.get()) || date.isAfter(to)) {
            throw new NightOutOfRangeException(date, from.get(), to, zone);
        }
    }

    /** A business date outside the programme's start .. yesterday. */
    public static class NightOutOfRangeException extends IllegalArgumentException {

        private final LocalDate allowedFrom;
        private final LocalDate allowedTo;

        NightOutOfRangeException(LocalDate date, LocalDate from, LocalDate to, ZoneId zone) {
            super(from == null
                    ? "businessDate " + date + " cannot run: no sale is staged yet and hub.nightly.programme-start is not set"
                    : "businessDate " + date + " is outside the allowed range " + from + " .. " + to
                      + " (the programme's start .. yesterday in " + zone + ")");
            this.allowedFrom = from;
            this.allowedTo = to;
        }

        public LocalDate allowedFrom() {
            return allowedFrom;
        }

        public LocalDate allowedTo() {
            return allowedTo;
        }
    }
}
