package ru.svoykrug.hub.connect.iiko;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ru.svoykrug.hub.staging.StagedPage.SaleStatus;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.sync.http.PartnerJson;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** iiko orders to sales: what the format allows is staged, anything else is a dead letter with a reason. */
class IikoMapperTest {

    private static final ZoneId NOVOSIBIRSK = ZoneId.of("Asia/Novosibirsk");
    private static final String ORG = "0a9a0000-0000-0001-0000-000000000001";

    private static ObjectNode goodOrder() {
        return (ObjectNode) PartnerJson.MAPPER.readTree("""
                {"id": "11c00000-0000-0001-0000-000000000007", "organizationId": "%s", "timestamp": 1764000000000,
                 "creationStatus": "Success",
                 "order": {"status": "Closed", "sum": 1234.5, "phone": "+79161234567",
                           "whenCreated": "2025-02-28 12:00:00.000", "whenClosed": "2025-02-28 12:40:10.250",
                           "customer": {"id": "c-1", "name": "Гость", "type": "regular"}}}
                """.formatted(ORG));
    }

    private static StagedPage map(ObjectNode item) {
        ObjectNode root = PartnerJson.MAPPER.createObjectNode();
        ObjectNode organization = root.putArray("ordersByOrganizations").addObject();
        organization.put("organizationId", ORG);
        organization.putArray("orders").add(item);
        StagedPage page = new StagedPage();
        new IikoMapper(NOVOSIBIRSK, ORG).map(root.path("ordersByOrganizations"), page);
        return page;
    }

    @Test
    void aGoodOrderIsStagedKeyedByItsOrganization() {
        StagedPage page = map(goodOrder());

        assertThat(page.rejected).isEmpty();
        assertThat(page.sales).hasSize(1);
        StagedPage.SaleRow sale = page.sales.get(0);
        assertThat(sale.sourceId()).isEqualTo(ORG + ":11c00000-0000-0001-0000-000000000007");
        assertThat(sale.status()).isEqualTo(SaleStatus.COMPLETED);
        assertThat(sale.amountKopecks()).isEqualTo(123_450);
        assertThat(sale.occurredAt()).isEqualTo(Instant.parse("2025-02-28T05:40:10.250Z"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "whenClosed  | 2025-02-30 12:00:00.000 | order.whenClosed",
            "whenClosed  | 2025-13-01 12:00:00.000 | order.whenClosed",
            "whenClosed  | 2025-02-28 25:00:00.000 | order.whenClosed",
            "whenClosed  | 2025-02-28 12:60:00.000 | order.whenClosed",
            "whenClosed  | 2025-02-28T12:00:00.000 | order.whenClosed",
            "whenClosed  | 28.02.2025 12:00:00     | order.whenClosed",
            "whenCreated | 2024-02-30 09:00:00.000 | order.whenCreated",
            "sum         | -5                      | order.sum",
            "sum         | 12.345                  | order.sum",
            "sum         | 1e400                   | order.sum",
            "status      | Paid                    | order.status",
            "status      | closed                  | order.status",
    })
    void aValueTheFormatDoesNotAllowIsADeadLetterNamingTheField(String field, String value, String named) {
        ObjectNode item = goodOrder();
        ObjectNode order = (ObjectNode) item.path("order");
        if (field.equals("whenCreated")) {
            order.putNull("whenClosed");
        }
        if (field.equals("sum")) {
            order.set("sum", PartnerJson.MAPPER.readTree(value));
        } else {
            order.put(field, value);
        }

        StagedPage page = map(item);

        assertThat(page.sales).as("never staged with a guessed value").isEmpty();
        assertThat(page.rejected).hasSize(1);
        assertThat(page.rejected.get(0).sourceId()).isEqualTo(ORG + ":11c00000-0000-0001-0000-000000000007");
        assertThat(page.rejected.get(0).reason()).startsWith(named).doesNotContain(value);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"sum", "timestamp", "status", "whenCreated"})
    void aMissingValueIsADeadLetterToo(String field) {
        ObjectNode item = goodOrder();
        ObjectNode order = (ObjectNode) item.path("order");
        if (field.equals("timestamp")) {
            item.remove("timestamp");
        } else {
            order.remove(field);
            if (field.equals("whenCreated")) {
                order.putNull("whenClosed");
            }
        }

        StagedPage page = map(item);

        assertThat(page.sales).isEmpty();
        assertThat(page.rejected).singleElement().extracting(StagedPage.Rejected::reason).asString().contains(field);
    }

    @Test
    void aStringSumIsNotWhatIikoSends() {
        ObjectNode item = goodOrder();
        ((ObjectNode) item.path("order")).put("sum", "1234.50");

        assertThat(map(item).rejected).singleElement().extracting(StagedPage.Rejected::reason).asString().startsWith("order.sum");
    }

    @Test
    void everyDocumentedStatusUnderWayIsPending() {
        for (String status : IikoMapper.UNDER_WAY) {
            ObjectNode item = goodOrder();
            ((ObjectNode) item.path("order")).put("status", status);
            assertThat(map(item).sales).singleElement().extracting(StagedPage.SaleRow::status).isEqualTo(SaleStatus.PENDING);
        }
    }
}
