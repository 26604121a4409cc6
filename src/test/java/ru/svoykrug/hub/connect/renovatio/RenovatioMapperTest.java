package ru.svoykrug.hub.connect.renovatio;

import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.sync.http.PartnerJson;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class RenovatioMapperTest {

    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    private static final String APPOINTMENT = """
            [{"id": 17, "patient_id": 5, "patient_name": "Иванова", "patient_phone": "8 916 123-45-67",
              "doctor": "Доктор Хаус", "status": "completed", "time_start": "01.03.2026 10:30",
              "date_updated": "01.03.2026 12:00", "diagnosis": "ОРВИ",
              "services": [{"title": "Приём терапевта", "price": "1500.50", "count": "2"},
                           {"title": "Анализ", "price": "99.99", "count": "1"}]}]""";

    private StagedPage map(String stream, String json, boolean medical) {
        StagedPage page = new StagedPage();
        new RenovatioMapper(MOSCOW, medical, Instant.parse("2026-03-02T00:00:00Z"))
                .map(stream, PartnerJson.MAPPER.readTree(json), page);
        return page;
    }

    @Test
    void completedAppointmentIsASaleOfPriceTimesCountWithTheVisitTimeInTheClinicsZone() {
        StagedPage page = map("appointments", APPOINTMENT, true);

        StagedPage.SaleRow sale = page.sales.get(0);
        assertThat(sale.amountKopecks()).isEqualTo(2 * 150_050 + 9_999);
        assertThat(sale.status()).isEqualTo(StagedPage.SaleStatus.COMPLETED);
        assertThat(sale.occurredAt()).isEqualTo(Instant.parse("2026-03-01T07:30:00Z"));
        assertThat(sale.sourceChangedAt()).isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));
        assertThat(sale.phoneE164()).isEqualTo("+79161234567");
        assertThat(page.customers).containsExactly(new StagedPage.CustomerRow("5", null, "+79161234567", false,
                Instant.parse("2026-03-01T09:00:00Z")));
    }

    @Test
    void aDeadLetterKeepsTheSourceIdTheFailingFieldAndAReasonButNoValueOfTheRecord() {
        String broken = APPOINTMENT.replace("\"1500.50\"", "\"по договору\"");

        for (boolean medical : new boolean[]{true, false}) {
            StagedPage.Rejected rejected = map("appointments", broken, medical).rejected.get(0);
            assertThat(rejected.sourceId()).isEqualTo("17");
            assertThat(rejected.fields()).isEqualTo("services[].price");
            assertThat(rejected.reason()).isEqualTo("services[].price is not an amount");
            assertThat(rejected.toString()).doesNotContain("Хаус", "ОРВИ", "Приём", "Анализ", "Иванова", "договору", "916");
        }
    }

    @Test
    void invoiceForAnAppointmentAddsNothingAndOneOfItsOwnIsASale() {
        StagedPage page = map("invoices", """
                [{"id": 1, "patient_id": 5, "appointment_id": 17, "date": "01.03.2026 11:00", "value": "3100.99", "status": "paid"},
                 {"id": 2, "patient_id": 6, "appointment_id": 0, "date": "01.03.2026 11:05", "value": "800.00", "status": "unpaid"}]""",
                true);

        assertThat(page.recordsRead()).isEqualTo(2);
        assertThat(page.sales).singleElement().satisfies(sale -> {
            assertThat(sale.sourceId()).isEqualTo("invoice-2");
            assertThat(sale.status()).isEqualTo(StagedPage.SaleStatus.PENDING);
            assertThat(sale.amountKopecks()).isEqualTo(80_000);
        });
    }
}
