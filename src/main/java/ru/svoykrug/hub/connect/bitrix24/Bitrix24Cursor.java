package ru.svoykrug.hub.connect.bitrix24;

import ru.svoykrug.hub.sync.StreamCursor;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a Bitrix24 list stands: records changed at or after {@code from} ({@code filter[>=DATE_MODIFY]}), in
 * the order of {@code DATE_MODIFY} then {@code ID}, from offset {@code start}.
 *
 * <p>Why not a fixed lower bound and growing offsets (as {@code sync.PagedChangeCursor} pages): a record
 * changed during a run leaves its place for the end of the list, every record behind it moves up by one,
 * and the record that moved onto the page just read is never read. So after each page the lower bound
 * moves to the last {@code DATE_MODIFY} read and {@code start} counts only the records of that one second
 * already read; only a whole page of one second pages on by {@code next}. A run that dies resumes exactly
 * where its last page was committed. When the list is done the watermark becomes the newest change seen,
 * but never later than the run's start; the next run reads from it less the overlap.
 *
 * @param from         the lower bound, null on a first, full read
 * @param start        the offset within the records changed at or after {@code from}
 * @param runStartedAt when the run that reads this position began (kept when it resumes)
 * @param maxSeen      the newest change this run has read
 */
record Bitrix24Cursor(Instant from, int start, Instant runStartedAt, Instant maxSeen) {

    static Bitrix24Cursor start(StreamCursor committed, Instant now, Duration overlap) {
        if ("true".equals(committed.get("inProgress"))) {
            return new Bitrix24Cursor(instant(committed.get("from")), Integer.parseInt(committed.get("start")),
                    instant(committed.get("runStartedAt")), instant(committed.get("maxSeen")));
        }
        Instant watermark = instant(committed.get("watermark"));
        return new Bitrix24Cursor(watermark == null ? null : watermark.minus(overlap), 0, now, null);
    }

    /**
     * The position after a page whose records changed at {@code changes} (in the answer's order; null where
     * a record's {@code DATE_MODIFY} could not be read), when the answer's {@code next} was {@code next} (null: none).
     */
    Bitrix24Cursor after(List<Instant> changes, Integer next) {
        Instant newest = maxSeen;
        for (Instant at : changes) {
            if (at != null && (newest == null || at.isAfter(newest))) {
                newest = at;
            }
        }
        Instant last = changes.isEmpty() ? null : changes.get(changes.size() - 1);
        if (next == null) {
            return new Bitrix24Cursor(from, start + changes.size(), runStartedAt, newest);
        }
        if (last != null && (from == null || last.isAfter(from))) {
            int sameSecond = (int) changes.stream().filter(last::equals).count();
            return new Bitrix24Cursor(last, sameSecond, runStartedAt, newest);
        }
        // a whole page of one second (or a last record without a readable date): page on by the vendor's offset
        return new Bitrix24Cursor(from, next, runStartedAt, newest);
    }

    /** What to commit with the page that led here: the position to resume from, or the watermark when done. */
    Map<String, String> position(StreamCursor committed, boolean more) {
        Map<String, String> next = new HashMap<>();
        if (more) {
            next.put("inProgress", "true");
            next.put("from", text(from));
            next.put("start", Integer.toString(start));
            next.put("runStartedAt", text(runStartedAt));
            next.put("maxSeen", text(maxSeen));
            return next;
        }
        Instant previous = instant(committed.get("watermark"));
        Instant reached = maxSeen == null ? null : maxSeen.isBefore(runStartedAt) ? maxSeen : runStartedAt;
        next.put("inProgress", "false");
        next.put("watermark", text(previous == null || (reached != null && reached.isAfter(previous)) ? reached : previous));
        next.put("from", null);
        next.put("start", null);
        next.put("runStartedAt", null);
        next.put("maxSeen", null);
        return next;
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
