package ru.svoykrug.hub.connect.iiko;

import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.connect.iiko.IikoCursor.ByDate;
import ru.svoykrug.hub.connect.iiko.IikoCursor.ByRevision;
import ru.svoykrug.hub.connect.iiko.IikoCursor.Fallback;
import ru.svoykrug.hub.sync.StreamCursor;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IikoCursorTest {

    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    private static StreamCursor cursor(String... keyValues) {
        Map<String, String> position = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            position.put(keyValues[i], keyValues[i + 1]);
        }
        return new StreamCursor(position, 1);
    }

    @Test
    void aFirstSyncReadsTheSevenDaysIikoServesAndSaysNothingOfAFallback() {
        Fallback f = IikoCursor.fallback(StreamCursor.initial(), NOW, DAY, Instant.EPOCH, "first sync");

        assertThat(f.from()).isEqualTo(NOW.minus(Duration.ofDays(7)).plus(Duration.ofMinutes(30)));
        assertThat(f.to()).isEqualTo(NOW);
        assertThat(f.note()).isNull();
        assertThat(f.gapNote()).isNull();
    }

    @Test
    void aRevisionHoursOldIsReplacedByTheMissedTimeAndALookBack() {
        StreamCursor c = cursor("revision", "5000", "revisionAt", NOW.minus(Duration.ofHours(4)).toString());

        assertThat(IikoCursor.revisionTooOld(c, NOW, Duration.ofMinutes(165))).isTrue();
        Fallback f = IikoCursor.fallback(c, NOW, DAY, Instant.EPOCH, "too old");

        assertThat(f.from()).isEqualTo(NOW.minus(Duration.ofHours(28)));
        assertThat(f.note()).contains("iiko fallback: too old").contains(f.from().toString());
        assertThat(f.gapNote()).isNull();
    }

    @Test
    void aRevisionOfTwoHoursAgoIsStillGood() {
        StreamCursor c = cursor("revision", "5000", "revisionAt", NOW.minus(Duration.ofHours(2)).toString());

        assertThat(IikoCursor.revisionTooOld(c, NOW, Duration.ofMinutes(165))).isFalse();
        assertThat(IikoCursor.next(c, NOW, DAY)).isEqualTo(new ByRevision(5000, NOW));
    }

    @Test
    void timeBeyondSevenDaysIsNamedAsAGap() {
        StreamCursor c = cursor("revision", "5000", "revisionAt", NOW.minus(Duration.ofDays(9)).toString());

        Fallback f = IikoCursor.fallback(c, NOW, DAY, Instant.EPOCH, "outage");

        Instant floor = NOW.minus(Duration.ofDays(7)).plus(Duration.ofMinutes(30));
        assertThat(f.from()).isEqualTo(floor);
        assertThat(f.gapNote()).contains("gap NOT read").contains(NOW.minus(Duration.ofDays(10)).toString()).contains(floor.toString());
    }

    @Test
    void aWindowIsReadInChunksAndEndsOnTheRevisionOfItsFirstChunk() {
        Fallback f = new Fallback(NOW.minus(Duration.ofHours(30)), NOW, null, null);
        ByDate first = IikoCursor.firstChunk(f, NOW, DAY);
        assertThat(first.from()).isEqualTo(f.from());
        assertThat(first.to()).isEqualTo(f.from().plus(DAY));

        Map<String, String> afterFirst = IikoCursor.afterChunk(StreamCursor.initial(), first, 7000);
        StreamCursor mid = StreamCursor.initial().with(afterFirst);
        assertThat(IikoCursor.inWindow(mid)).isTrue();
        ByDate second = (ByDate) IikoCursor.next(mid, NOW.plusSeconds(60), DAY);
        assertThat(second.from()).isEqualTo(first.to());
        assertThat(second.to()).as("the last chunk stops at the window's end").isEqualTo(NOW);

        StreamCursor done = mid.with(IikoCursor.afterChunk(mid, second, 7100));
        assertThat(IikoCursor.inWindow(done)).isFalse();
        assertThat(done.get("revision")).as("changes made while the window was read are read again").isEqualTo("7000");
        assertThat(done.get("revisionAt")).isEqualTo(NOW.toString());
    }

    @Test
    void aRevisionNeverGoesBack() {
        Map<String, String> next = IikoCursor.afterRevision(new ByRevision(9000, NOW), 8000);
        assertThat(next).containsEntry("revision", "9000").containsEntry("revisionAt", NOW.toString());
    }
}
