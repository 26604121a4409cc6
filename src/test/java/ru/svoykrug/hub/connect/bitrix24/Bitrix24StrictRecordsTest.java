package ru.svoykrug.hub.connect.bitrix24;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.staging.StagedPage.SaleStatus;
import ru.svoykrug.hub.sync.http.PartnerJson;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deal is a sale only as Bitrix24's format says (every value a string, dates with their offset, a stage
 * semantic of S, F or P, roubles); any other value makes it a dead letter naming its field, and nothing
 * else of the page is lost.
 */
class Bitrix24StrictRecordsTest {

    private static final String DEAL = """
            {"ID": "41", "STAGE_SEMANTIC_ID": "S", "CURRENCY_ID": "RUB", "OPPORTUNITY": "19999.99", "CONTACT_ID": "7",
             "CLOSEDATE": "2024-09-09T00:00:00+03:00", "DATE_CREATE": "2024-09-01T10:00:00+03:00",
             "DATE_MODIFY": "2024-09-09T18:30:00+03:00"}""";
    private static final String NEIGHBOUR = """
            {"ID": "42", "STAGE_SEMANTIC_ID": "S", "CURRENCY_ID": "RUB", "OPPORTUNITY": "1500", "CONTACT_ID": null,
             "CLOSEDATE": "2024-09-10T00:00:00+03:00", "DATE_CREATE": "2024-09-01T10:00:00+03:00",
             "DATE_MODIFY": "2024-09-10T09:00:00+03:00"}""";

    private static StagedPage map(String stream, String... items) {
        StagedPage page = new StagedPage();
        new Bitrix24Mapper().map(stream, PartnerJson.MAPPER.readTree("[" + String.join(",", items) + "]"), page);
        return page;
    }

    @Test
    void aWonDealIsACompletedSaleOfItsOpportunityInKopecksOnItsCloseDate() {
        assertThat(map("deals", DEAL, NEIGHBOUR).sales).satisfiesExactly(
                s -> {
                    assertThat(s.sourceId()).isEqualTo("41");
                    assertThat(s.status()).isEqualTo(SaleStatus.COMPLETED);
                    assertThat(s.amountKopecks()).isEqualTo(1_999_999L);
                    assertThat(s.customerSourceId()).isEqualTo("7");
                    assertThat(s.occurredAt()).isEqualTo(Instant.parse("2024-09-08T21:00:00Z"));
                    assertThat(s.sourceChangedAt()).isEqualTo(Instant.parse("2024-09-09T15:30:00Z"));
                },
                s -> {
                    assertThat(s.amountKopecks()).as("an OPPORTUNITY without decimals").isEqualTo(150_000L);
                    assertThat(s.customerSourceId()).as("a deal without a contact").isNull();
                });
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            F | VOID
            P | PENDING
            """)
    void aLostDealIsVoidAndOneInProgressIsPending(String semantic, SaleStatus status) {
        assertThat(map("deals", DEAL.replace("\"STAGE_SEMANTIC_ID\": \"S\"", "\"STAGE_SEMANTIC_ID\": \"" + semantic + "\"")).sales)
                .singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(status));
    }

    @ParameterizedTest(name = "{1} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            "OPPORTUNITY": "19999.99"                | "OPPORTUNITY": "договорная"                 | OPPORTUNITY       | OPPORTUNITY is not an amount
            "OPPORTUNITY": "19999.99"                | "OPPORTUNITY": "-5.00"                      | OPPORTUNITY       | OPPORTUNITY is negative
            "OPPORTUNITY": "19999.99"                | "OPPORTUNITY": "10.005"                     | OPPORTUNITY       | OPPORTUNITY has fractions of a kopeck
            "OPPORTUNITY": "19999.99"                | "OPPORTUNITY": ""                           | OPPORTUNITY       | OPPORTUNITY is missing on a won deal
            "CURRENCY_ID": "RUB"                     | "CURRENCY_ID": "USD"                        | CURRENCY_ID       | CURRENCY_ID is not RUB: the programme counts roubles only
            "CURRENCY_ID": "RUB"                     | "CURRENCY_ID": ""                           | CURRENCY_ID       | CURRENCY_ID is missing
            "CLOSEDATE": "2024-09-09T00:00:00+03:00" | "CLOSEDATE": "2025-02-30T00:00:00+03:00"    | CLOSEDATE         | CLOSEDATE is not a Bitrix24 date-time with offset
            "CLOSEDATE": "2024-09-09T00:00:00+03:00" | "CLOSEDATE": "2024-13-01T00:00:00+03:00"    | CLOSEDATE         | CLOSEDATE is not a Bitrix24 date-time with offset
            "CLOSEDATE": "2024-09-09T00:00:00+03:00" | "CLOSEDATE": "2024-09-09T00:00:00"          | CLOSEDATE         | CLOSEDATE is not a Bitrix24 date-time with offset
            "CLOSEDATE": "2024-09-09T00:00:00+03:00" | "CLOSEDATE": ""                             | CLOSEDATE         | CLOSEDATE is missing on a won deal
            "CLOSEDATE": "2024-09-09T00:00:00+03:00" | "CLOSEDATE": "1970-01-01T00:00:00+03:00"    | CLOSEDATE         | CLOSEDATE is not a date of this century
            "DATE_MODIFY": "2024-09-09T18:30:00+03:00" | "DATE_MODIFY": "2024-09-09T25:30:00+03:00" | DATE_MODIFY      | DATE_MODIFY is not a Bitrix24 date-time with offset
            "DATE_MODIFY": "2024-09-09T18:30:00+03:00" | "DATE_MODIFY": null                       | DATE_MODIFY       | DATE_MODIFY is missing
            "STAGE_SEMANTIC_ID": "S"                 | "STAGE_SEMANTIC_ID": "X"                    | STAGE_SEMANTIC_ID | STAGE_SEMANTIC_ID is not S, F or P
            "STAGE_SEMANTIC_ID": "S"                 | "STAGE_SEMANTIC_ID": null                   | STAGE_SEMANTIC_ID | STAGE_SEMANTIC_ID is missing
            "CONTACT_ID": "7"                        | "CONTACT_ID": "Иванов"                      | CONTACT_ID        | CONTACT_ID is not a Bitrix24 id
            "ID": "41"                               | "ID": "-41"                                 | ID                | ID is not a Bitrix24 id
            """)
    void aValueOutsideTheFormatIsADeadLetterWithItsReasonAndNothingElseIsLost(String good, String bad, String field, String reason) {
        assertThat(DEAL).contains(good.trim());
        StagedPage page = map("deals", DEAL.replace(good.trim(), bad.trim()), NEIGHBOUR);

        assertThat(page.sales).as("no sale with a guessed value; the neighbour is staged").singleElement()
                .satisfies(s -> assertThat(s.sourceId()).isEqualTo("42"));
        assertThat(page.recordsRead()).isEqualTo(2);
        assertThat(page.rejected).singleElement().satisfies(r -> {
            assertThat(r.fields()).isEqualTo(field);
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.recordKey()).as("keyed by its id, or by a digest when the id is no id").isNotBlank();
        });
    }

    @Test
    void aDealNotWonNeedsNeitherAmountNorCloseDate() {
        StagedPage page = map("deals", DEAL.replace("\"STAGE_SEMANTIC_ID\": \"S\"", "\"STAGE_SEMANTIC_ID\": \"P\"")
                .replace("\"OPPORTUNITY\": \"19999.99\"", "\"OPPORTUNITY\": \"\"").replace("\"CLOSEDATE\": \"2024-09-09T00:00:00+03:00\"", "\"CLOSEDATE\": \"\""));

        assertThat(page.rejected).isEmpty();
        assertThat(page.sales).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(SaleStatus.PENDING);
            assertThat(s.amountKopecks()).isZero();
            assertThat(s.occurredAt()).as("dated by its creation").isEqualTo(Instant.parse("2024-09-01T07:00:00Z"));
        });
    }

    @Test
    void aContactKeepsANameToGreetAndOnePhoneAsE164MobileFirst() {
        StagedPage page = map("contacts", """
                {"ID": "5", "NAME": "Контакт", "LAST_NAME": "№5", "DATE_MODIFY": "2024-09-09T18:30:00+03:00",
                 "PHONE": [{"ID": "50", "VALUE_TYPE": "WORK", "VALUE": "8 (916) 123-45-67", "TYPE_ID": "PHONE"},
                           {"ID": "51", "VALUE_TYPE": "MOBILE", "VALUE": "79261234567", "TYPE_ID": "PHONE"}]}""", """
                {"ID": "6", "NAME": "", "LAST_NAME": "", "DATE_MODIFY": "2024-09-09T18:31:00+03:00",
                 "PHONE": [{"ID": "60", "VALUE_TYPE": "WORK", "VALUE": "не звонить", "TYPE_ID": "PHONE"},
                           {"ID": "61", "VALUE_TYPE": "HOME", "VALUE": "+7 916 765-43-21", "TYPE_ID": "PHONE"}]}""", """
                {"ID": "9", "NAME": "Контакт", "LAST_NAME": "№9", "DATE_MODIFY": "2024-09-09T18:32:00+03:00"}""");

        assertThat(page.rejected).isEmpty();
        assertThat(page.customers).satisfiesExactly(
                c -> assertThat(c).extracting("name", "phoneE164").containsExactly("Контакт №5", "+79261234567"),
                c -> assertThat(c).extracting("name", "phoneE164").containsExactly(null, "+79167654321"),
                c -> assertThat(c).extracting("name", "phoneE164").containsExactly("Контакт №9", null));
    }

    @Test
    void aReasonNeverQuotesTheValue() {
        StagedPage page = map("contacts", """
                {"ID": "Анна Петрова", "NAME": "Анна", "DATE_MODIFY": "2024-09-09T18:30:00+03:00"}""", """
                {"ID": "8", "NAME": "Анна", "DATE_MODIFY": "вчера"}""");

        assertThat(page.customers).isEmpty();
        assertThat(page.rejected).hasSize(2).allSatisfy(r -> assertThat(r.toString()).doesNotContain("Анна").doesNotContain("вчера"));
        assertThat(page.rejected.get(0).sourceId()).as("an id that is no id is not kept").isNull();
    }
}
