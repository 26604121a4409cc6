package ru.svoykrug.hub.connect.yclients;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.sync.http.PartnerJson;

import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** Every value that is not what YCLIENTS's format says makes a dead letter with a reason, never a guessed row. */
class YclientsStrictRecordsTest {

    private static final String RECORD = """
            {"id": 11, "datetime": "2025-03-01 10:00:00", "last_change_date": "2025-03-01T12:00:00+0300",
             "attendance": 1, "deleted": false, "client": {"id": 5, "name": "Анна", "phone": "+79161234567"},
             "services": [{"title": "Стрижка", "cost": 1500.5}]}""";
    private static final String TRANSACTION = """
            {"id": "21", "date": "2025-03-01 10:05:00", "last_change_date": "2025-03-01 10:05:00", "amount": "1500.50",
             "record_id": 11, "visit_id": 7, "document_id": 31, "client": {"id": 5, "name": "Анна", "phone": "+79161234567"}}""";

    private static StagedPage map(String stream, String item) {
        StagedPage page = new StagedPage();
        new YclientsMapper(ZoneId.of("Europe/Moscow")).map(stream, PartnerJson.MAPPER.readTree("[" + item + "]"), page);
        return page;
    }

    @Test
    void theWellFormedRecordsMap() {
        assertThat(map("records", RECORD).sales).hasSize(1);
        assertThat(map("records", RECORD).mapped).as("its dead letter, if any, is settled").containsExactly("11");
        assertThat(map("transactions", TRANSACTION).payments).hasSize(1);
    }

    @ParameterizedTest(name = "{0}: {1} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            records      | "datetime": "2025-03-01 10:00:00"         | "datetime": "2025-02-30 10:00:00"          | datetime         | datetime is not a date-time YCLIENTS sends
            records      | "datetime": "2025-03-01 10:00:00"         | "datetime": "2025-13-01 10:00:00"          | datetime         | datetime is not a date-time YCLIENTS sends
            records      | "datetime": "2025-03-01 10:00:00"         | "datetime": "2025-03-01 25:00:00"          | datetime         | datetime is not a date-time YCLIENTS sends
            records      | "datetime": "2025-03-01 10:00:00"         | "datetime": "2025-04-31T10:00:00+03:00"    | datetime         | datetime is not a date-time YCLIENTS sends
            records      | "last_change_date": "2025-03-01T12:00:00+0300" | "last_change_date": "2025-02-29T12:00:00+0300" | last_change_date | last_change_date is not a date-time YCLIENTS sends
            records      | "cost": 1500.5                            | "cost": "полторы тысячи"                   | services[].cost  | services[].cost is not an amount
            records      | "cost": 1500.5                            | "cost": 1500.505                           | services[].cost  | services[].cost has fractions of a kopeck
            records      | "attendance": 1                           | "attendance": 5                            | attendance       | attendance is not a value YCLIENTS defines
            records      | "attendance": 1                           | "attendance": "пришёл"                     | attendance       | attendance is not a value YCLIENTS defines
            records      | "attendance": 1                           | "attendance": null                         | attendance       | attendance is missing
            transactions | "date": "2025-03-01 10:05:00"             | "date": "2025-02-29 10:05:00"              | date             | date is not a date-time YCLIENTS sends
            transactions | "date": "2025-03-01 10:05:00"             | "date": "01.03.2025 10:05"                 | date             | date is not a date-time YCLIENTS sends
            transactions | "amount": "1500.50"                       | "amount": "1 500,50"                       | amount           | amount is not an amount
            transactions | "amount": "1500.50"                       | "amount": null                             | amount           | amount is missing
            transactions | "record_id": 11                           | "record_id": "Анна"                        | record_id        | record_id is not a YCLIENTS id
            """)
    void aValueOutsideTheFormatIsADeadLetterWithItsReason(String stream, String good, String bad, String field, String reason) {
        String item = (stream.equals("records") ? RECORD : TRANSACTION);
        assertThat(item).contains(good.trim());
        StagedPage page = map(stream, item.replace(good.trim(), bad.trim()));

        assertThat(page.sales).isEmpty();
        assertThat(page.payments).isEmpty();
        assertThat(page.rejected).singleElement().satisfies(r -> {
            assertThat(r.sourceId()).isEqualTo(stream.equals("records") ? "11" : "21");
            assertThat(r.fields()).isEqualTo(field);
            assertThat(r.reason()).isEqualTo(reason);
        });
    }
}
