package ru.svoykrug.hub.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cursor of a stream read by "changed since" plus page numbers (YCLIENTS {@code changed_after},
 * amoCRM {@code filter[updated_at][from]}).
 *
 * <p>A run reads every page for one fixed lower bound; after each page the cursor records the next page,
 * so a run that dies resumes where it was (one page early, which the upsert makes harmless). When the
 * last page is in, the watermark becomes the newest change seen, but never later than the moment the run
 * started: a record changed during the run, on a page already passed, is then read by the next run.
 * The next run reads from the watermark less an overlap window, for sources that back-date changes.
 *
 * <p>When the run saw a record twice ({@link RepeatedRecords}), the listing shifted under it and a record may
 * have been passed over; the watermark then goes back to that record's first sighting, so the next run reads
 * the stretch again. A run that dies keeps that point in its cursor until it completes.
 */
public final class PagedChangeCursor {

    private PagedChangeCursor() {
    }

    /** What to ask the source for. {@code changedAfter} is null on a first, full sync. */
    public record Request(int page, Instant changedAfter, Instant runStartedAt) {
    }

    public static Request start(StreamCursor cursor, Instant now, Duration overlap) {
        if ("true".equals(cursor.get("inProgress"))) {
            int page = Math.max(1, Integer.parseInt(cursor.get("page")) - 1);
            return new Request(page, instant(cursor.get("changedAfter")), instant(cursor.get("runStartedAt")));
        }
        Instant watermark = instant(cursor.get("watermark"));
        return new Request(1, watermark == null ? null : watermark.minus(overlap), now);
    }

    /** The position to commit with the rows of {@code request.page()}. */
    public static Map<String, String> afterPage(StreamCursor cursor, Request request, Instant newestSeenOnPage, boolean more) {
        return afterPage(cursor, request, newestSeenOnPage, more, null);
    }

    /** As above, for a run that must be read again from {@code rewindTo} (null: no record came twice). */
    public static Map<String, String> afterPage(StreamCursor cursor, Request request, Instant newestSeenOnPage, boolean more,
                                                Instant rewindTo) {
        Instant maxSeen = max(instant(cursor.get("maxSeen")), newestSeenOnPage);
        Instant rewind = min(instant(cursor.get("rewindTo")), rewindTo);
        Map<String, String> next = new HashMap<>();
        if (more) {
            next.put("inProgress", "true");
            next.put("page", Integer.toString(request.page() + 1));
            next.put("changedAfter", text(request.changedAfter()));
            next.put("runStartedAt", text(request.runStartedAt()));
            next.put("maxSeen", text(maxSeen));
            next.put("watermark", cursor.get("watermark"));
            next.put("rewindTo", text(rewind));
        } else {
            Instant previous = instant(cursor.get("watermark"));
            Instant reached = maxSeen == null ? previous : min(maxSeen, request.runStartedAt());
            next.put("inProgress", "false");
            next.put("page", "1");
            Instant watermark = max(previous, reached);
            next.put("watermark", text(rewind == null ? watermark : min(watermark, rewind)));
            next.put("rewindTo", null);
            next.put("changedAfter", null);
            next.put("runStartedAt", null);
            next.put("maxSeen", null);
        }
        return next;
    }

    /** The descriptor's page and page-size parameters for {@code request}; a reader adds its own after them. */
    public static Map<String, String> pageQuery(StreamSync sync, Request request) {
        StreamDescriptor.Paginator paginator = sync.descriptor().paginator();
        Map<String, String> query = new LinkedHashMap<>();
        query.put(paginator.pageParameter(), Integer.toString(request.page()));
        query.put(paginator.sizeParameter(), Integer.toString(sync.pageSize()));
        return query;
    }

    public static Request next(Request request) {
        return new Request(request.page() + 1, request.changedAfter(), request.runStartedAt());
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant max(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isBefore(b) ? a : b;
    }
}
