package ru.svoykrug.hub.privacy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MaskingTest {

    @Test
    void aPhoneShowsItsLastFourDigitsOnly() {
        assertThat(Masking.phone("+79161234567")).isEqualTo("+7 *** ***-45-67");
        assertThat(Masking.phone(null)).isNull();
    }

    @Test
    void everyShapePartnersWriteIsMaskedInAText() {
        for (String shape : new String[] {"+79161234567", "89161234567", "79161234567", "9161234567", "+7 (916) 123-45-67",
                "8 (916) 123-45-67", "+7 916 123-45-67", "8-916-123-45-67", "+7 916 123 45 67"}) {
            assertThat(Masking.phones("client " + shape + " rejected")).as(shape).isEqualTo("client +7 *** ***-45-67 rejected");
        }
    }

    @Test
    void whatIsNoPhoneStays() {
        String text = "run 1234 of 2026-12-02T12:12:04.687Z: 12 pages, 79161234567890 kopecks, id a9161234567, HTTP 502, "
                + "12:32:43.985502\t2026-12-02, 0.9161234567, \"gamma\": 9182720014.674133, "
                + "sha256:9449477617e39f8b47eb73eb0d20c671349e60ad";
        assertThat(Masking.phones(text)).isEqualTo(text);
        assertThat(Masking.phones("+7 *** ***-45-67")).isEqualTo("+7 *** ***-45-67");
    }

    @Test
    void aPhoneEndingASentenceIsStillMasked() {
        assertThat(Masking.phones("call 9161234567. Then 89161234567.")).isEqualTo("call +7 *** ***-45-67. Then +7 *** ***-45-67.");
    }
}
