package ru.svoykrug.hub.connect.amocrm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.sync.http.PartnerJson;

import static org.assertj.core.api.Assertions.assertThat;

/** A won lead is a sale only with its price and its closing time as amoCRM's format says; otherwise a dead letter. */
class AmocrmStrictRecordsTest {

    private static final String LEAD = """
            {"id": 41, "price": 1500, "status_id": 142, "created_at": 1700000000, "closed_at": 1700003600,
             "updated_at": 1700003700, "_embedded": {"contacts": [{"id": 7, "is_main": true}]}}""";

    private static StagedPage map(String item) {
        StagedPage page = new StagedPage();
        new AmocrmMapper().map("leads", PartnerJson.MAPPER.readTree("[" + item + "]"), page);
        return page;
    }

    @Test
    void theWellFormedLeadIsASale() {
        assertThat(map(LEAD).sales).hasSize(1);
    }

    @ParameterizedTest(name = "{1} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            "price": 1500                | "price": null                        | price       | price is missing on a won lead
            "price": 1500                | "price": "полторы"                   | price       | price is not an amount
            "price": 1500                | "price": -1500                       | price       | price is negative
            "closed_at": 1700003600      | "closed_at": null                    | closed_at   | closed_at is missing on a won lead
            "closed_at": 1700003600      | "closed_at": "2023-11-14 23:13:20"   | closed_at   | closed_at is not a Unix time in seconds
            "closed_at": 1700003600      | "closed_at": 1700003600000           | closed_at   | closed_at is not a Unix time in seconds
            "closed_at": 1700003600      | "closed_at": -5                      | closed_at   | closed_at is not a Unix time in seconds
            "closed_at": 1700003600      | "closed_at": 1700003600.5            | closed_at   | closed_at is not a Unix time in seconds
            "updated_at": 1700003700     | "updated_at": "вчера"                | updated_at  | updated_at is not a Unix time in seconds
            "status_id": 142             | "status_id": "успешно"               | status_id   | status_id is not an amoCRM status id
            "status_id": 142             | "status_id": null                    | status_id   | status_id is missing
            """)
    void aValueOutsideTheFormatIsADeadLetterWithItsReason(String good, String bad, String field, String reason) {
        assertThat(LEAD).contains(good.trim());
        StagedPage page = map(LEAD.replace(good.trim(), bad.trim()));

        assertThat(page.sales).as("no sale with a guessed value").isEmpty();
        assertThat(page.rejected).singleElement().satisfies(r -> {
            assertThat(r.sourceId()).isEqualTo("41");
            assertThat(r.fields()).isEqualTo(field);
            assertThat(r.reason()).isEqualTo(reason);
        });
    }

    @Test
    void aLeadNotWonYetNeedsNeitherPriceNorClosingTime() {
        StagedPage page = map(LEAD.replace("\"status_id\": 142", "\"status_id\": 10001").replace("\"price\": 1500", "\"price\": null")
                .replace("\"closed_at\": 1700003600", "\"closed_at\": null"));

        assertThat(page.rejected).isEmpty();
        assertThat(page.sales).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(StagedPage.SaleStatus.PENDING);
            assertThat(s.amountKopecks()).isZero();
        });
    }
}
