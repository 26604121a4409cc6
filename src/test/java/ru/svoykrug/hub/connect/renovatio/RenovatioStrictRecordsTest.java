package ru.svoykrug.hub.connect.renovatio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ru.svoykrug.hub.staging.StagedPage.SaleStatus;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.sync.http.PartnerJson;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Renovatio: strict dates, amounts and statuses; tolerant of the shapes hosts differ in (invoice date, status). */
class RenovatioStrictRecordsTest {

    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    private static final String APPOINTMENT = """
            {"id": 17, "patient_id": 5, "status": "completed", "time_start": "01.03.2026 10:30",
             "date_updated": "01.03.2026 12:00", "services": [{"title": "Приём", "price": "1500.50", "count": "2"}]}""";
    private static final String INVOICE = """
            {"id": 3, "patient_id": 6, "appointment_id": 0, "date": "01.03.2026 11:05", "value": "800.00", "status": "paid"}""";
    private static final String PAYMENT = """
            {"id": 9, "patient_id": 5, "appointment_id": 17, "invoice_id": 3, "date": "01.03.2026 11:10", "value": "3001.00"}""";

    private static StagedPage map(String stream, String item, InvoiceStatuses statuses, Map<String, String> invoices) {
        StagedPage page = new StagedPage();
        new RenovatioMapper(MOSCOW, true, Instant.parse("2026-03-02T00:00:00Z"), statuses, invoices)
                .map(stream, PartnerJson.MAPPER.readTree("[" + item + "]"), page);
        return page;
    }

    private static StagedPage map(String stream, String item) {
        return map(stream, item, InvoiceStatuses.DEFAULT, Map.of());
    }

    private static String item(String stream) {
        return switch (stream) {
            case "appointments" -> APPOINTMENT;
            case "invoices" -> INVOICE;
            default -> PAYMENT;
        };
    }

    @ParameterizedTest(name = "{0}: {2} -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            appointments | 17 | "time_start": "01.03.2026 10:30"  | "time_start": "30.02.2026 10:30"  | time_start       | time_start is not a date-time of the form dd.mm.yyyy hh:mm
            appointments | 17 | "time_start": "01.03.2026 10:30"  | "time_start": "01.13.2026 10:30"  | time_start       | time_start is not a date-time of the form dd.mm.yyyy hh:mm
            appointments | 17 | "time_start": "01.03.2026 10:30"  | "time_start": "01.03.2026 25:30"  | time_start       | time_start is not a date-time of the form dd.mm.yyyy hh:mm
            appointments | 17 | "price": "1500.50"                | "price": "договорная"             | services[].price | services[].price is not an amount
            appointments | 17 | "status": "completed"             | "status": "lost"                  | status           | status is not one Renovatio defines
            invoices     | 3  | "date": "01.03.2026 11:05"        | "date": "29.02.2026"              | date             | date is not a date of the form dd.mm.yyyy, with or without hh:mm
            invoices     | 3  | "value": "800.00"                 | "value": "восемьсот"              | value            | value is not an amount
            invoices     | 3  | "status": "paid"                  | "status": "refunded"              | status           | status is not one Renovatio defines for invoices (nor one configured in invoiceStatuses)
            invoices     | 3  | "status": "paid"                  | "status": 7                       | status           | status is not one Renovatio defines for invoices (nor one configured in invoiceStatuses)
            payments     | 9  | "date": "01.03.2026 11:10"        | "date": "32.03.2026 11:10"        | date             | date is not a date of the form dd.mm.yyyy, with or without hh:mm
            payments     | 9  | "value": "3001.00"                | "value": "3001.001"               | value            | value has fractions of a kopeck
            """)
    void aValueOutsideTheFormatIsADeadLetterNamingTheFieldNotTheValue(String stream, String id, String good, String bad,
                                                                      String field, String reason) {
        assertThat(item(stream)).contains(good.trim());
        StagedPage page = map(stream, item(stream).replace(good.trim(), bad.trim()));

        assertThat(page.sales).isEmpty();
        assertThat(page.payments).isEmpty();
        assertThat(page.rejected).singleElement().satisfies(r -> {
            assertThat(r.sourceId()).isEqualTo(id);
            assertThat(r.fields()).isEqualTo(field);
            assertThat(r.reason()).isEqualTo(reason).doesNotContain("refunded", "lost", "договорная", "восемьсот");
        });
    }

    @Test
    void anInvoiceDateComesWithOrWithoutATime() {
        assertThat(map("invoices", INVOICE.replace("01.03.2026 11:05", "01.03.2026")).sales.get(0).occurredAt())
                .isEqualTo(Instant.parse("2026-02-28T21:00:00Z"));
        assertThat(map("invoices", INVOICE.replace("01.03.2026 11:05", "01.03.2026 11:05:30")).sales.get(0).occurredAt())
                .isEqualTo(Instant.parse("2026-03-01T08:05:30Z"));
    }

    @Test
    void anInvoiceStatusIsAWordOrANumberWithKnownCodesAndConfiguredOnes() {
        assertThat(map("invoices", INVOICE.replace("\"paid\"", "1")).sales.get(0).status()).isEqualTo(SaleStatus.COMPLETED);
        assertThat(map("invoices", INVOICE.replace("\"paid\"", "\"0\"")).sales.get(0).status()).isEqualTo(SaleStatus.PENDING);
        assertThat(map("invoices", INVOICE.replace("\"paid\"", "\"CANCELLED\"")).sales.get(0).status()).isEqualTo(SaleStatus.VOID);

        InvoiceStatuses configured = InvoiceStatuses.parse(InvoiceStatuses.KNOWN_CODES + ",7=cancelled,частично=unpaid");
        assertThat(map("invoices", INVOICE.replace("\"paid\"", "7"), configured, Map.of()).sales.get(0).status())
                .isEqualTo(SaleStatus.VOID);
        assertThat(map("invoices", INVOICE.replace("\"paid\"", "\"частично\""), configured, Map.of()).sales.get(0).status())
                .isEqualTo(SaleStatus.PENDING);
    }

    @Test
    void aPaymentWithoutAnAppointmentNamesItThroughItsInvoice() {
        String onlyInvoice = PAYMENT.replace("\"appointment_id\": 17", "\"appointment_id\": 0").replace("3001.00", "-3001.00");

        assertThat(RenovatioMapper.invoicesNamed(PartnerJson.MAPPER.readTree("[" + onlyInvoice + "]"))).containsExactly("3");
        assertThat(map("payments", onlyInvoice, InvoiceStatuses.DEFAULT, Map.of("3", "17")).payments.get(0))
                .satisfies(p -> {
                    assertThat(p.saleSourceId()).isEqualTo("17");
                    assertThat(p.amountKopecks()).isEqualTo(-300_100);
                });
        assertThat(map("payments", onlyInvoice).payments.get(0).saleSourceId())
                .as("the invoice not read yet: staged under the invoice, moved when it comes").isEqualTo("invoice-3");
    }
}
