package ru.svoykrug.hub.connect.iiko;

import ru.svoykrug.hub.sync.StreamCursor;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the iiko deliveries stream stands. Normally a revision: {@code by_revision} from the saved one
 * gives every order changed since. iiko accepts a revision only while it is at most 3 hours old, so a
 * revision the hub saved too long ago (an outage, a paused partner) or that iiko refuses is replaced by
 * a window of delivery dates read with {@code by_delivery_date_and_status} in chunks: the missed time
 * plus a look-back for late changes to earlier orders, never more than the 7 days iiko serves. The
 * first sync is such a window too. When the window is read, the revision iiko reported at its first
 * chunk takes over, so changes made while the window was read are read again, by revision.
 *
 * <p>Each organization of the connection has a position of its own (revisions are counted per
 * organization), stored in the stream's cursor under keys {@code <organizationId>.<key>}.
 */
final class IikoCursor {

    static final Duration SERVED_BY_DATE = Duration.ofDays(7);
    // The window may not start earlier than iiko serves at the moment the last chunk is asked for.
    private static final Duration SERVED_MARGIN = Duration.ofMinutes(30);

    private IikoCursor() {
    }

    /** What to ask iiko for next. */
    sealed interface Request permits ByRevision, ByDate {
        Instant askedAt();
    }

    record ByRevision(long startRevision, Instant askedAt) implements Request {
    }

    /** One chunk {@code [from, to)} of the window {@code [windowFrom, windowTo)}. */
    record ByDate(Instant from, Instant to, Instant windowFrom, Instant windowTo, Instant askedAt) implements Request {
    }

    /** A window to read instead of a revision, and what the run should say about it. */
    record Fallback(Instant from, Instant to, String note, String gapNote) {
    }

    /** The position of one organization, its keys without the organization's prefix. */
    static StreamCursor of(StreamCursor stream, String organizationId) {
        String prefix = organizationId + ".";
        Map<String, String> own = new HashMap<>();
        stream.position().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                own.put(k.substring(prefix.length()), v);
            }
        });
        return new StreamCursor(Map.copyOf(own), stream.version());
    }

    /** Changes to one organization's position as changes to the stream's cursor. */
    static Map<String, String> forOrganization(String organizationId, Map<String, String> changes) {
        Map<String, String> prefixed = new HashMap<>();
        changes.forEach((k, v) -> prefixed.put(organizationId + "." + k, v));
        return prefixed;
    }

    static boolean inWindow(StreamCursor c) {
        return c.get("windowNext") != null;
    }

    static boolean revisionTooOld(StreamCursor c, Instant now, Duration maxAge) {
        return c.get("revision") == null || Instant.parse(c.get("revisionAt")).isBefore(now.minus(maxAge));
    }

    static Request next(StreamCursor c, Instant now, Duration chunk) {
        if (inWindow(c)) {
            return chunk(Instant.parse(c.get("windowNext")), Instant.parse(c.get("windowFrom")), Instant.parse(c.get("windowTo")),
                    now, chunk);
        }
        return new ByRevision(Long.parseLong(c.get("revision")), now);
    }

    static ByDate firstChunk(Fallback f, Instant now, Duration chunk) {
        return chunk(f.from(), f.from(), f.to(), now, chunk);
    }

    private static ByDate chunk(Instant from, Instant windowFrom, Instant windowTo, Instant now, Duration chunk) {
        Instant to = from.plus(chunk).isBefore(windowTo) ? from.plus(chunk) : windowTo;
        return new ByDate(from, to, windowFrom, windowTo, now);
    }

    /**
     * The window that replaces a revision: from the saved revision's time less the look-back (from
     * {@code historyFrom} on a first sync) to now, cut at what iiko still serves by date.
     */
    static Fallback fallback(StreamCursor c, Instant now, Duration lookBack, Instant firstSyncFrom, String why) {
        Instant floor = now.minus(SERVED_BY_DATE).plus(SERVED_MARGIN);
        Instant wanted = c.get("revisionAt") == null ? firstSyncFrom : Instant.parse(c.get("revisionAt")).minus(lookBack);
        Instant from = wanted.isBefore(floor) ? floor : wanted;
        String note = c.get("revision") == null ? null
                : "iiko fallback: " + why + "; read deliveries by delivery date from " + from + " to " + now
                + " instead (by_delivery_date_and_status)";
        String gap = c.get("revision") != null && wanted.isBefore(floor)
                ? "iiko gap NOT read: changes to orders delivered from " + wanted + " to " + floor
                + " are older than the 7 days iiko serves by date; reconcile them with the partner"
                : null;
        return new Fallback(from, now, note, gap);
    }

    static Map<String, String> startWindow(Fallback f) {
        Map<String, String> next = new HashMap<>();
        next.put("windowFrom", f.from().toString());
        next.put("windowTo", f.to().toString());
        next.put("windowNext", f.from().toString());
        next.put("windowRevision", null);
        next.put("windowRevisionAt", null);
        return next;
    }

    static Map<String, String> afterRevision(ByRevision r, long maxRevision) {
        Map<String, String> next = new HashMap<>();
        next.put("revision", Long.toString(Math.max(maxRevision, r.startRevision())));
        next.put("revisionAt", r.askedAt().toString());
        return next;
    }

    /** After a chunk: the next chunk, or, when the window is read, the revision of its first chunk. */
    static Map<String, String> afterChunk(StreamCursor c, ByDate d, long maxRevision) {
        Map<String, String> next = new HashMap<>();
        String revision = c.get("windowRevision") != null ? c.get("windowRevision") : Long.toString(maxRevision);
        String revisionAt = c.get("windowRevisionAt") != null ? c.get("windowRevisionAt") : d.askedAt().toString();
        if (d.to().isBefore(d.windowTo())) {
            next.put("windowFrom", d.windowFrom().toString());
            next.put("windowTo", d.windowTo().toString());
            next.put("windowNext", d.to().toString());
            next.put("windowRevision", revision);
            next.put("windowRevisionAt", revisionAt);
        } else {
            next.put("revision", revision);
            next.put("revisionAt", revisionAt);
            next.put("windowFrom", null);
            next.put("windowTo", null);
            next.put("windowNext", null);
            next.put("windowRevision", null);
            next.put("windowRevisionAt", null);
        }
        return next;
    }
}
