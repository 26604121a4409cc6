package ru.svoykrug.hub.connect.onec;

import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.staging.MappingException;
import ru.svoykrug.hub.sync.http.PartnerJson;
import tools.jackson.databind.JsonNode;

import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnecValuesTest {

    private static JsonNode json(String text) {
        return PartnerJson.MAPPER.readTree(text);
    }

    @Test
    void emptyReferenceAndEmptyDateMeanNone() {
        JsonNode item = json("""
                {"Card_Key": "00000000-0000-0000-0000-000000000000", "Date": "0001-01-01T00:00:00", "Blank": ""}""");
        assertThat(OnecValues.ref(item, "Card_Key")).isNull();
        assertThat(OnecValues.ref(item, "Blank")).isNull();
        assertThat(OnecValues.ref(item, "Missing")).isNull();
        assertThat(OnecValues.date(item, "Date")).isNull();
    }

    @Test
    void realReferenceAndZonelessDateAreRead() {
        JsonNode item = json("""
                {"Card_Key": "a1b2c3d4-0000-4000-8000-000000000005", "Date": "2026-03-01T09:15:00", "Bad": "вчера"}""");
        assertThat(OnecValues.ref(item, "Card_Key")).isEqualTo("a1b2c3d4-0000-4000-8000-000000000005");
        assertThat(OnecValues.date(item, "Date")).isEqualTo(LocalDateTime.of(2026, 3, 1, 9, 15));
        assertThatThrownBy(() -> OnecValues.date(item, "Bad")).isInstanceOf(MappingException.class)
                .hasMessage("Bad is not a date-time (yyyy-mm-ddThh:mm:ss)");
    }

    @Test
    void cyrillicNamesArePercentEncodedAndSpacesAreNotPluses() {
        assertThat(OnecConnector.encode("Document_ЧекККМ")).isEqualTo("Document_%D0%A7%D0%B5%D0%BA%D0%9A%D0%9A%D0%9C");
        assertThat(OnecConnector.encode("Date ge datetime'2026-01-01T00:00:00'"))
                .isEqualTo("Date%20ge%20datetime%272026-01-01T00%3A00%3A00%27");
    }
}
