package ru.svoykrug.hub.connections;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** historyFrom has one format for every system: an ISO date or an ISO instant with an offset. */
class HistoryFromTest {

    private static PartnerConnection connection(String historyFrom) {
        return new PartnerConnection("c", "P", "onec", ZoneId.of("Europe/Moscow"), false, "0 0 3 * * ?",
                historyFrom == null ? Map.of() : Map.of("historyFrom", historyFrom), ConnectionStatus.ACTIVE, null);
    }

    @Test
    void aDateIsTheStartOfThatDayInTheConnectionsZone() {
        assertThat(HistoryFrom.of(connection("2015-01-01"), "2000-01-01")).isEqualTo(Instant.parse("2014-12-31T21:00:00Z"));
        assertThat(HistoryFrom.of(connection(null), "2000-01-01")).isEqualTo(Instant.parse("1999-12-31T21:00:00Z"));
    }

    @Test
    void anInstantCarriesItsOffset() {
        assertThat(HistoryFrom.of(connection("2015-01-01T00:00:00+03:00"), "2000-01-01")).isEqualTo(Instant.parse("2014-12-31T21:00:00Z"));
        assertThat(HistoryFrom.of(connection("2015-01-01T06:30:00Z"), "2000-01-01")).isEqualTo(Instant.parse("2015-01-01T06:30:00Z"));
    }

    @Test
    void aDateTimeWithoutAnOffsetOrAnImpossibleDayIsRefusedWithTheFormatSaid() {
        for (String bad : new String[]{"2015-01-01T00:00:00", "2015-02-30", "01.01.2015", "2015-13-01T00:00:00Z"}) {
            assertThatThrownBy(() -> HistoryFrom.of(connection(bad), "2000-01-01"))
                    .as(bad).hasMessageContaining("historyFrom").hasMessageContaining("ISO date");
        }
    }
}
