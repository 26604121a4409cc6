package ru.svoykrug.hub.staging;

import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.sync.http.PartnerJson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoneyTest {

    private static long kopecks(String json) {
        return Money.kopecks(PartnerJson.MAPPER.readTree("{\"a\":" + json + "}").get("a"), "amount");
    }

    @Test
    void stringsAndNumbersOfRoublesBecomeExactKopecks() {
        assertThat(kopecks("\"1000.00\"")).isEqualTo(100_000);
        assertThat(kopecks("1499.5")).isEqualTo(149_950);
        assertThat(kopecks("0.1")).isEqualTo(10);
        assertThat(kopecks("\"-300.10\"")).isEqualTo(-30_010);
        assertThat(kopecks("2500")).isEqualTo(250_000);
    }

    @Test
    void whatIsNoAmountIsRejectedWithAReason() {
        assertThatThrownBy(() -> kopecks("\"1 000,00\"")).hasMessage("amount is not an amount");
        assertThatThrownBy(() -> kopecks("10.005")).hasMessage("amount has fractions of a kopeck");
        assertThatThrownBy(() -> kopecks("null")).hasMessage("amount is missing");
        assertThatThrownBy(() -> kopecks("true")).hasMessage("amount is not an amount");
    }
}
