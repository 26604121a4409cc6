package ru.svoykrug.hub.monitoring;

import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.TimeZone;

/** How often a connection's Quartz schedule fires: the gap between its next two firings after a moment. */
final class SchedulePeriod {

    private SchedulePeriod() {
    }

    /** Null when the schedule cannot be read or never fires again. */
    static Duration of(String cron, ZoneId zone, Instant after) {
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(TimeZone.getTimeZone(zone));
            Date first = expression.getNextValidTimeAfter(Date.from(after));
            Date second = first == null ? null : expression.getNextValidTimeAfter(first);
            return second == null ? null : Duration.between(first.toInstant(), second.toInstant());
        } catch (ParseException e) {
            return null;
        }
    }
}
