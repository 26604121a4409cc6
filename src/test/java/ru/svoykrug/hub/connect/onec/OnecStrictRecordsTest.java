package ru.svoykrug.hub.connect.onec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.staging.MappingException;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.sync.http.PartnerJson;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** 1C receipts: strict dates, amounts and operations; a return is a negative payment naming its sale. */
class OnecStrictRecordsTest {

    private static final String SALE_REF = "5b7c1a52-0000-0000-0000-000000000001";
    private static final String RECEIPT = """
            {"Ref_Key": "5b7c1a52-0000-0000-0000-000000000002", "Date": "2025-03-01T10:00:00", "Posted": true,
             "DeletionMark": false, "ВидОперации": "Продажа", "СуммаДокумента": 1500.5,
             "ДисконтнаяКарта_Key": "card-1", "ЧекККМПродажа_Key": "%s", "DataVersion": "AAA="}""".formatted(SALE_REF);

    private static OnecMapper mapper(Map<String, String> settings) {
        PartnerConnection c = new PartnerConnection("onec-strict", "P", "onec", ZoneId.of("Europe/Moscow"), false, "", settings,
                ConnectionStatus.ACTIVE, null);
        return new OnecMapper(OnecNames.of(c), c.zone(), Instant.parse("2025-03-02T00:00:00Z"));
    }

    private static StagedPage receipt(OnecMapper mapper, String json) {
        StagedPage page = new StagedPage();
        mapper.receipt(PartnerJson.MAPPER.readTree(json), Map.of("card-1", "owner-1"), page);
        return page;
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            "Date": "2025-03-01T10:00:00"   | "Date": "2025-02-30T10:00:00"  | Date            | Date is not a date-time (yyyy-mm-ddThh:mm:ss)
            "Date": "2025-03-01T10:00:00"   | "Date": "2025-13-01T10:00:00"  | Date            | Date is not a date-time (yyyy-mm-ddThh:mm:ss)
            "Date": "2025-03-01T10:00:00"   | "Date": "2025-03-01T25:00:00"  | Date            | Date is not a date-time (yyyy-mm-ddThh:mm:ss)
            "Date": "2025-03-01T10:00:00"   | "Date": "0001-01-01T00:00:00"  | Date            | Date is empty
            "СуммаДокумента": 1500.5        | "СуммаДокумента": "много"      | СуммаДокумента  | СуммаДокумента is not an amount
            "СуммаДокумента": 1500.5        | "СуммаДокумента": -1500.5      | СуммаДокумента  | СуммаДокумента is negative
            "СуммаДокумента": 1500.5        | "СуммаДокумента": 1500.555     | СуммаДокумента  | СуммаДокумента has fractions of a kopeck
            "ВидОперации": "Продажа"        | "ВидОперации": "Обмен"         | ВидОперации     | ВидОперации is neither Продажа nor Возврат
            """)
    void aValueOutsideTheFormatIsRejectedWithItsReason(String good, String bad, String field, String reason) {
        assertThat(RECEIPT).contains(good.trim());
        String broken = RECEIPT.replace(good.trim(), bad.trim());

        assertThatThrownBy(() -> receipt(mapper(Map.of()), broken)).isInstanceOfSatisfying(MappingException.class, e -> {
            // what the connector keeps of it as a dead letter
            StagedPage.Rejected dead = StagedPage.Rejected.of("5b7c1a52-0000-0000-0000-000000000002", broken, e);
            assertThat(dead.sourceId()).isEqualTo("5b7c1a52-0000-0000-0000-000000000002");
            assertThat(dead.fields()).isEqualTo(field);
            assertThat(dead.reason()).isEqualTo(reason).doesNotContain("Обмен", "много", "2025-");
        });
    }

    @Test
    void aSaleIsASaleRowAndLeavesNoPaymentUnderItsRef() {
        StagedPage page = receipt(mapper(Map.of()), RECEIPT);

        assertThat(page.sales).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(StagedPage.SaleKind.SALE);
            assertThat(s.amountKopecks()).isEqualTo(150_050);
            assertThat(s.customerSourceId()).isEqualTo("owner-1");
        });
        assertThat(page.payments).isEmpty();
        assertThat(page.retiredPayments).containsExactly("5b7c1a52-0000-0000-0000-000000000002");
    }

    @Test
    void aReturnIsANegativePaymentNamingTheSaleItReturns() {
        StagedPage page = receipt(mapper(Map.of()), RECEIPT.replace("\"Продажа\"", "\"Возврат\""));

        assertThat(page.sales).isEmpty();
        assertThat(page.retiredSales).containsExactly("5b7c1a52-0000-0000-0000-000000000002");
        assertThat(page.payments).singleElement().satisfies(p -> {
            assertThat(p.amountKopecks()).isEqualTo(-150_050);
            assertThat(p.saleSourceId()).isEqualTo(SALE_REF);
            assertThat(p.customerSourceId()).isEqualTo("owner-1");
            assertThat(p.deleted()).isFalse();
        });
    }

    @Test
    void theFieldNamingTheReturnedSaleIsASettingAndAnUnpostedReturnIsDeleted() {
        String json = RECEIPT.replace("\"Продажа\"", "\"Возврат\"").replace("\"Posted\": true", "\"Posted\": false")
                .replace("ЧекККМПродажа_Key", "ДокументПродажи_Key");
        StagedPage page = receipt(mapper(Map.of("returnSaleField", "ДокументПродажи_Key")), json);

        assertThat(page.payments).singleElement().satisfies(p -> {
            assertThat(p.saleSourceId()).isEqualTo(SALE_REF);
            assertThat(p.deleted()).isTrue();
        });
    }
}
