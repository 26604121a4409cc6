package ru.svoykrug.hub.analytics;

import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.nightly.NightScenario;
import ru.svoykrug.hub.nightly.StagingFixture;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL keeps the churn scores of the last night only, as it keeps RFM (the warehouse keeps every
 * night's), with their key; the fitted models of every night stay, the next night's fits start from them.
 */
class ChurnScoresOfTheLastNightTest extends NightScenario {

    private static final LocalDate FIRST = LocalDate.of(2026, 10, 5);

    @Test
    void aNightReplacesTheLastNightsScoresAndKeepsTheirKey() {
        StagingFixture shop = partner("churn-last-night");
        for (int i = 0; i < 12; i++) {
            String ref = "c" + i;
            shop.customer(ref, "+7916557%04d".formatted(4100 + i));
            shop.sale(ref, FIRST.minusDays(40 + 3 * i), 1_000 + 10 * i);
            shop.sale(ref, FIRST.minusDays(10 + i), 500 + 20 * i);
        }
        night(FIRST);
        long customers = jdbc.queryForObject("SELECT count(*) FROM core.churn_score WHERE business_date = ?", Long.class, FIRST);
        assertThat(customers).as("scored on the first night").isGreaterThanOrEqualTo(12);

        night(FIRST.plusDays(1));
        assertThat(jdbc.queryForList("SELECT DISTINCT business_date FROM core.churn_score", LocalDate.class))
                .containsExactly(FIRST.plusDays(1));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM core.churn_score", Long.class)).isEqualTo(customers);
        assertThat(jdbc.queryForList("SELECT DISTINCT business_date FROM core.churn_model", LocalDate.class))
                .as("the models' history").contains(FIRST, FIRST.plusDays(1));
        assertThat(jdbc.queryForObject("""
                SELECT pg_get_constraintdef(oid) FROM pg_constraint
                 WHERE conrelid = 'core.churn_score'::regclass AND contype = 'p'""", String.class))
                .as("the key, built again after the load").isEqualTo("PRIMARY KEY (business_date, customer_id)");
    }
}
