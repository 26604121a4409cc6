package ru.svoykrug.hub.connect.bitrix24;

import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.sync.StreamCursor;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lower bound moves to the last change read, so an offset counts only the records of one second. */
class Bitrix24CursorTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-12-01T10:00:01Z");

    @Test
    void afterAPageTheBoundIsItsLastChangeAndStartCountsThatSecondsRecordsRead() {
        Bitrix24Cursor first = Bitrix24Cursor.start(StreamCursor.initial(), NOW, Duration.ofMinutes(10));
        assertThat(first.from()).as("a first sync reads everything").isNull();

        List<Instant> page = new java.util.ArrayList<>(Collections.nCopies(47, T1));
        page.addAll(List.of(T2, T2, T2));
        Bitrix24Cursor next = first.after(page, 50);

        assertThat(next.from()).isEqualTo(T2);
        assertThat(next.start()).isEqualTo(3);
    }

    @Test
    void aWholePageOfOneSecondPagesOnByTheVendorsNext() {
        Bitrix24Cursor at = new Bitrix24Cursor(T1, 0, NOW, null);

        Bitrix24Cursor next = at.after(Collections.nCopies(50, T1), 50).after(Collections.nCopies(50, T1), 100);

        assertThat(next.from()).isEqualTo(T1);
        assertThat(next.start()).isEqualTo(100);
    }

    @Test
    void aLastRecordWithoutAReadableDatePagesOnByNextToo() {
        Bitrix24Cursor at = new Bitrix24Cursor(T1, 0, NOW, null);
        List<Instant> page = new java.util.ArrayList<>(Collections.nCopies(49, T2));
        page.add(null);

        Bitrix24Cursor next = at.after(page, 50);

        assertThat(next.from()).isEqualTo(T1);
        assertThat(next.start()).isEqualTo(50);
        assertThat(next.maxSeen()).isEqualTo(T2);
    }

    @Test
    void aFinishedListLeavesTheNewestChangeButNeverLaterThanTheRunsStartAndTheNextRunOverlaps() {
        Bitrix24Cursor done = new Bitrix24Cursor(null, 0, NOW, null).after(List.of(T1, T2), null);
        StreamCursor committed = StreamCursor.initial().with(done.position(StreamCursor.initial(), false));
        assertThat(committed.get("watermark")).isEqualTo(T2.toString());
        assertThat(committed.get("inProgress")).isEqualTo("false");

        Bitrix24Cursor incremental = Bitrix24Cursor.start(committed, NOW.plusSeconds(3600), Duration.ofMinutes(10));
        assertThat(incremental.from()).isEqualTo(T2.minus(Duration.ofMinutes(10)));
        assertThat(incremental.start()).isZero();

        Bitrix24Cursor late = new Bitrix24Cursor(null, 0, T1, null).after(List.of(T2), null);
        assertThat(late.position(StreamCursor.initial(), false).get("watermark")).as("changed during the run: read again next run")
                .isEqualTo(T1.toString());
    }

    @Test
    void aRunThatDiesResumesAtItsLastCommittedPosition() {
        Bitrix24Cursor mid = new Bitrix24Cursor(null, 0, NOW, null).after(List.of(T1, T2, T2), 50);
        StreamCursor committed = StreamCursor.initial().with(mid.position(StreamCursor.initial(), true));

        Bitrix24Cursor resumed = Bitrix24Cursor.start(committed, NOW.plusSeconds(60), Duration.ofMinutes(10));

        assertThat(resumed).isEqualTo(new Bitrix24Cursor(T2, 2, NOW, T2));
    }
}
