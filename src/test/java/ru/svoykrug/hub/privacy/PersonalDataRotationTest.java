package ru.svoykrug.hub.privacy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import ru.svoykrug.hub.nightly.NightScenario;
import ru.svoykrug.hub.nightly.StagingFixture;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A key rotation re-encrypts and re-indexes everything: the same phones open, the same customers match. */
class PersonalDataRotationTest extends NightScenario {

    @Autowired
    PersonalDataRotation rotation;
    @Autowired
    PhoneIndex phoneIndex;

    @Test
    void afterARotationEveryPhoneHasItsNewKeyEverywhereAndTheNightMatchesAsBefore() throws Exception {
        StagingFixture salon = partner("rot-salon");
        StagingFixture spa = partner("rot-spa");
        salon.customer("a1", "+79165550911");
        spa.customer("b1", "+79165550911");
        salon.customer("a2", "+79165550922");
        salon.sale("a1", LocalDate.of(2026, 5, 1), 1000);
        spa.sale("b1", LocalDate.of(2026, 5, 2), 500);
        salon.sale("a2", LocalDate.of(2026, 5, 2), 700);
        night(LocalDate.of(2026, 5, 3));
        long shared = salon.customerId("a1");
        assertThat(spa.customerId("b1")).isEqualTo(shared);
        String oldKey = phoneIndex.of("+79165550911");

        Map<String, Integer> rows = rotation.rotate();

        String newKey = phoneIndex.of("+79165550911");
        assertThat(newKey).isNotEqualTo(oldKey);
        assertThat(rows.get("staging.customer")).isGreaterThanOrEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT id FROM core.customer WHERE phone_key = ?", Long.class, newKey)).isEqualTo(shared);
        for (String table : List.of("staging.customer", "staging.sale", "staging.payment", "core.customer")) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE phone_key = ?", Integer.class, oldKey))
                    .as("the old key in %s", table).isZero();
        }
        assertThat(StoredPersonalData.phones(jdbc, "SELECT phone_sealed FROM staging.customer WHERE connection_id IN "
                + "('rot-salon', 'rot-spa') ORDER BY connection_id, source_id"))
                .containsExactly("+79165550911", "+79165550922", "+79165550911");

        // a new partner's client with the same phone joins the same customer; nobody new otherwise
        partner("rot-cafe").customer("c1", "+79165550911").sale("c1", LocalDate.of(2026, 5, 3), 300);
        night(LocalDate.of(2026, 5, 4));
        assertThat(partner("rot-cafe").customerId("c1")).isEqualTo(shared);
        assertThat(salon.customerId("a2")).isNotEqualTo(shared);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT customer_id) FROM core.customer_link WHERE connection_id LIKE 'rot-%'",
                Integer.class)).isEqualTo(2);
    }
}
