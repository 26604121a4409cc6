package ru.svoykrug.hub.connect.yclients;

import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.staging.MappingException;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class YclientsDatesTest {

    private static final ZoneId VLADIVOSTOK = ZoneId.of("Asia/Vladivostok");

    @Test
    void theThreeShapesOfOneMomentAreOneInstant() {
        Instant expected = Instant.parse("2019-01-16T06:00:00Z");
        assertThat(YclientsDates.parse("2019-01-16 16:00:00", VLADIVOSTOK, "datetime")).isEqualTo(expected);
        assertThat(YclientsDates.parse("2019-01-16T16:00:00+10:00", VLADIVOSTOK, "datetime")).isEqualTo(expected);
        assertThat(YclientsDates.parse("2019-01-16T15:00:00+0900", VLADIVOSTOK, "datetime")).isEqualTo(expected);
    }

    @Test
    void changedAfterIsSentInTheCompanysLocalTime() {
        assertThat(YclientsDates.local(Instant.parse("2019-01-16T06:00:00Z"), VLADIVOSTOK)).isEqualTo("2019-01-16T16:00:00");
    }

    @Test
    void aBrokenDateNamesTheFieldButNotTheText() {
        assertThatThrownBy(() -> YclientsDates.parse("16.01.2019", VLADIVOSTOK, "datetime"))
                .isInstanceOf(MappingException.class).hasMessage("datetime is not a date-time YCLIENTS sends");
        assertThatThrownBy(() -> YclientsDates.parse(null, VLADIVOSTOK, "last_change_date"))
                .isInstanceOf(MappingException.class).hasMessage("last_change_date is missing");
    }
}
