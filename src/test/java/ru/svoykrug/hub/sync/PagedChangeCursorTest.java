package ru.svoykrug.hub.sync;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PagedChangeCursorTest {

    private static final Duration OVERLAP = Duration.ofMinutes(10);
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void aFirstSyncReadsEverythingAndTheNextReadsFromTheWatermarkLessTheOverlap() {
        PagedChangeCursor.Request first = PagedChangeCursor.start(StreamCursor.initial(), T0, OVERLAP);
        assertThat(first).isEqualTo(new PagedChangeCursor.Request(1, null, T0));

        Map<String, String> done = PagedChangeCursor.afterPage(StreamCursor.initial(), first, Instant.parse("2026-11-26T09:00:00Z"), false);
        StreamCursor cursor = StreamCursor.initial().with(done);
        assertThat(cursor.get("watermark")).isEqualTo("2026-11-26T09:00:00Z");

        PagedChangeCursor.Request next = PagedChangeCursor.start(cursor, T0.plusSeconds(3600), OVERLAP);
        assertThat(next.page()).isEqualTo(1);
        assertThat(next.changedAfter()).isEqualTo(Instant.parse("2026-11-26T08:50:00Z"));
    }

    @Test
    void theWatermarkNeverPassesTheStartOfTheRun() {
        // a record changed during the run (after T0) must be read again by the next run
        PagedChangeCursor.Request run = new PagedChangeCursor.Request(1, null, T0);
        Map<String, String> done = PagedChangeCursor.afterPage(StreamCursor.initial(), run, T0.plusSeconds(120), false);
        assertThat(done.get("watermark")).isEqualTo(T0.toString());
    }

    @Test
    void aRunThatDiedResumesOnePageBeforeItsLastCommittedPageWithTheSameLowerBound() {
        Instant lower = Instant.parse("2026-11-20T00:00:00Z");
        PagedChangeCursor.Request page3 = new PagedChangeCursor.Request(3, lower, T0);
        StreamCursor cursor = StreamCursor.initial().with(PagedChangeCursor.afterPage(StreamCursor.initial(), page3,
                Instant.parse("2026-11-25T00:00:00Z"), true));

        PagedChangeCursor.Request resumed = PagedChangeCursor.start(cursor, T0.plusSeconds(600), OVERLAP);

        assertThat(resumed).isEqualTo(new PagedChangeCursor.Request(3, lower, T0));
        Map<String, String> done = PagedChangeCursor.afterPage(cursor, resumed, Instant.parse("2026-11-24T00:00:00Z"), false);
        assertThat(done.get("watermark")).as("the newest change of the whole run, earlier pages included")
                .isEqualTo("2026-11-25T00:00:00Z");
    }

    @Test
    void aRecordSeenTwiceInARunSendsTheNextRunBackToItsFirstSightingEvenAcrossACrash() {
        Instant lower = Instant.parse("2026-11-20T00:00:00Z");
        Instant edited = Instant.parse("2026-11-21T08:00:00Z");
        RepeatedRecords repeated = new RepeatedRecords();
        repeated.read(Map.of("7", edited, "8", Instant.parse("2026-11-21T09:00:00Z")));
        assertThat(repeated.rewindTo()).as("no record twice yet").isNull();
        repeated.read(Map.of("9", Instant.parse("2026-11-22T00:00:00Z")));
        repeated.read(Map.of("7", T0.plusSeconds(30)));
        assertThat(repeated.rewindTo()).isEqualTo(edited);

        // the page with the repeat is committed, then the run dies; the resumed run sees no repeat itself
        PagedChangeCursor.Request page3 = new PagedChangeCursor.Request(3, lower, T0);
        StreamCursor cursor = StreamCursor.initial().with(PagedChangeCursor.afterPage(StreamCursor.initial(), page3,
                T0.plusSeconds(30), true, repeated.rewindTo()));
        PagedChangeCursor.Request resumed = PagedChangeCursor.start(cursor, T0.plusSeconds(600), OVERLAP);
        Map<String, String> done = PagedChangeCursor.afterPage(cursor, resumed, T0.plusSeconds(30), false, null);

        StreamCursor after = cursor.with(done);
        assertThat(after.get("watermark")).isEqualTo(edited.toString());
        assertThat(after.get("rewindTo")).isNull();
        assertThat(PagedChangeCursor.start(after, T0.plusSeconds(900), OVERLAP).changedAfter()).isEqualTo(edited.minus(OVERLAP));
    }
}
