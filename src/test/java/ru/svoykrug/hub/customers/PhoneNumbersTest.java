package ru.svoykrug.hub.customers;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PhoneNumbersTest {

    @ParameterizedTest
    @ValueSource(strings = {"+7 (916) 123-45-67", "8 916 1234567", "79161234567", "+79161234567", "8(916)123-45-67", " 916 123 45 67 "})
    void theWaysPartnersTypeOnePhoneAreOneNumber(String typed) {
        assertThat(PhoneNumbers.toE164(typed)).contains("+79161234567");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "нет", "123", "+7 (916) 123", "8 800"})
    void whatIsNoPhoneIsEmpty(String typed) {
        assertThat(PhoneNumbers.toE164(typed)).isEmpty();
    }
}
