package ru.svoykrug.hub.nightly;

import ru.svoykrug.hub.privacy.StoredPersonalData;
import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.customers.PhoneNumbers;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** Step 1: one customer per person across partners, by phone, with ids that never change. */
class CustomersNightTest extends NightScenario {

    @Test
    void onePhoneTypedThreeWaysAtThreePartnersIsOneCustomer() {
        StagingFixture salon = partner("cust-salon");
        StagingFixture spa = partner("cust-spa");
        StagingFixture cafe = partner("cust-cafe");
        salon.customer("a1", PhoneNumbers.toE164("+7 (916) 555-01-01").orElseThrow());
        spa.customer("b7", PhoneNumbers.toE164("8 916 5550101").orElseThrow());
        cafe.customer("c3", PhoneNumbers.toE164("79165550101").orElseThrow());
        salon.sale("a1", LocalDate.of(2026, 3, 2), 1000);
        cafe.sale("c3", LocalDate.of(2026, 3, 3), 500);

        night(LocalDate.of(2026, 3, 10));

        long id = salon.customerId("a1");
        assertThat(spa.customerId("b7")).isEqualTo(id);
        assertThat(cafe.customerId("c3")).isEqualTo(id);
        assertThat(jdbc.queryForObject("SELECT phone_key FROM core.customer WHERE id = ?", String.class, id))
                .isEqualTo(StoredPersonalData.phoneKey("+79165550101"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM core.purchase WHERE customer_id = ?", Integer.class, id)).isEqualTo(2);

        night(LocalDate.of(2026, 3, 11));
        assertThat(salon.customerId("a1")).as("ids are stable across nights").isEqualTo(id);
    }

    @Test
    void aCustomerWithoutAPhoneStaysLocalAndJoinsTheCircleWhenAPhoneAppears() {
        StagingFixture salon = partner("cust-local-salon");
        StagingFixture spa = partner("cust-local-spa");
        salon.customer("anna", null);
        salon.sale("anna", LocalDate.of(2026, 4, 1), 2000);
        spa.customer("petr", null);
        spa.customer("petra", "+79165550202");
        spa.sale("petra", LocalDate.of(2026, 4, 1), 700);

        night(LocalDate.of(2026, 4, 2));
        long anna = salon.customerId("anna");
        long petr = spa.customerId("petr");
        long petra = spa.customerId("petra");
        assertThat(jdbc.queryForMap("SELECT phone_key, home_connection_id FROM core.customer WHERE id = ?", anna))
                .containsEntry("phone_key", null).containsEntry("home_connection_id", "cust-local-salon");
        assertThat(petr).isNotEqualTo(anna);

        // Anna's phone becomes known at her salon: she keeps her id and joins the circle.
        salon.customer("anna", "+79165550303");
        // Petr turns out to have Petra's phone: the local customer merges into the circle customer.
        spa.customer("petr", "+79165550202");
        night(LocalDate.of(2026, 4, 3));

        assertThat(salon.customerId("anna")).isEqualTo(anna);
        assertThat(jdbc.queryForObject("SELECT phone_key FROM core.customer WHERE id = ?", String.class, anna))
                .isEqualTo(StoredPersonalData.phoneKey("+79165550303"));
        assertThat(spa.customerId("petr")).isEqualTo(petra);
        assertThat(jdbc.queryForObject("SELECT merged_into FROM core.customer WHERE id = ?", Long.class, petr)).isEqualTo(petra);
    }
}
