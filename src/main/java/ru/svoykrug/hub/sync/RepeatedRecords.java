package ru.svoykrug.hub.sync;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The records one run of a stream read by page number in order of change has seen, to notice when the
 * source's order shifted under it.
 *
 * <p>amoCRM lists by {@code order[updated_at]=asc} and page number. A record changed during the run, on a
 * page already read, moves to the end of the listing: every record after its old place moves up by one, and
 * the first record of the next page lands on the page just read, so the run never sees it. The moved record
 * then comes a second time. Its first sighting bounds where the loss can be: every record moved up sorted
 * after it, so the next run must read again from that record's earlier change time. Records are remembered
 * only for one run, in memory (about a hundred bytes a record); a run that dies and resumes starts again
 * with none.
 */
public final class RepeatedRecords {

    private final Map<String, Instant> firstSeen = new HashMap<>();
    private Instant rewindTo;

    /** Remembers the page's records; a record seen before moves the rewind point back to its first sighting. */
    public void read(Map<String, Instant> page) {
        page.forEach((id, changedAt) -> {
            Instant earlier = firstSeen.putIfAbsent(id, changedAt);
            if (earlier != null && (rewindTo == null || earlier.isBefore(rewindTo))) {
                rewindTo = earlier;
            }
        });
    }

    /** The earliest first-sighting of a record seen twice in this run, or null when none came twice. */
    public Instant rewindTo() {
        return rewindTo;
    }
}
