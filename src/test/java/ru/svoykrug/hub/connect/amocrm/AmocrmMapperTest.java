package ru.svoykrug.hub.connect.amocrm;

import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.staging.StagedPage.SaleStatus;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.sync.http.PartnerJson;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AmocrmMapperTest {

    private static StagedPage map(String stream, String json) {
        StagedPage page = new StagedPage();
        new AmocrmMapper().map(stream, PartnerJson.MAPPER.readTree(json), page);
        return page;
    }

    @Test
    void onlyAWonLeadIsACompletedSaleAndItsPriceIsRoubles() {
        StagedPage page = map("leads", """
                [{"id": 1, "price": 1500, "status_id": 142, "created_at": 1700000000, "closed_at": 1700003600,
                  "updated_at": 1700003700, "_embedded": {"contacts": [{"id": 9, "is_main": false}, {"id": 7, "is_main": true}]}},
                 {"id": 2, "price": 800, "status_id": 143, "created_at": 1700000000, "closed_at": 1700000100, "updated_at": 1700000200},
                 {"id": 3, "price": null, "status_id": 10001, "created_at": 1700000000, "closed_at": null, "updated_at": 1700000300}]
                """);

        assertThat(page.rejected).isEmpty();
        assertThat(page.sales).extracting(StagedPage.SaleRow::status)
                .containsExactly(SaleStatus.COMPLETED, SaleStatus.VOID, SaleStatus.PENDING);
        assertThat(page.sales.get(0).amountKopecks()).isEqualTo(150_000);
        assertThat(page.sales.get(0).occurredAt()).isEqualTo(Instant.ofEpochSecond(1700003600));
        assertThat(page.sales.get(0).customerSourceId()).as("the main contact").isEqualTo("7");
        assertThat(page.sales.get(2).amountKopecks()).isZero();
        assertThat(page.sales.get(2).occurredAt()).isEqualTo(Instant.ofEpochSecond(1700000000));
        assertThat(page.maxChangedAt()).isEqualTo(Instant.ofEpochSecond(1700003700));
    }

    @Test
    void aDeletedLeadVoidsItsSaleWhateverItsStatus() {
        StagedPage page = map("deleted_leads", """
                [{"id": 4, "price": 100, "status_id": 142, "created_at": 1700000000, "closed_at": 1700000100, "updated_at": 1700009000}]
                """);

        assertThat(page.sales.get(0).status()).isEqualTo(SaleStatus.VOID);
    }

    @Test
    void aContactsPhoneComesFromItsPhoneFieldAndMayBeAbsent() {
        StagedPage page = map("contacts", """
                [{"id": 1, "name": "Анна", "updated_at": 1700000000, "custom_fields_values": [
                   {"field_code": "EMAIL", "values": [{"value": "a@example.ru"}]},
                   {"field_code": "PHONE", "values": [{"value": "нет"}, {"value": "8 (916) 123-45-67"}]}]},
                 {"id": 2, "name": "Борис", "updated_at": 1700000001, "custom_fields_values": null}]
                """);

        assertThat(page.customers).extracting(StagedPage.CustomerRow::phoneE164).containsExactly("+79161234567", null);
    }

    @Test
    void aRecordThatCannotBeMappedIsRejectedWithItsReason() {
        StagedPage page = map("leads", """
                [{"id": 5, "price": 100, "status_id": 142, "created_at": 1700000000},
                 {"price": 100, "status_id": 142, "created_at": 1700000000, "updated_at": 1700000000},
                 {"id": 6, "price": "сто", "status_id": 142, "created_at": 1700000000, "updated_at": 1700000000}]
                """);

        assertThat(page.sales).isEmpty();
        assertThat(page.rejected).extracting(StagedPage.Rejected::reason)
                .containsExactly("updated_at is missing", "id is missing", "price is not an amount");
    }
}
