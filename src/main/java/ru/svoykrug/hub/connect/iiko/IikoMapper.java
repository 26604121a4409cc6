package ru.svoykrug.hub.connect.iiko;

import ru.svoykrug.hub.connect.MappingException;
import ru.svoykrug.hub.connect.Money;
import ru.svoykrug.hub.connect.StagedPage;
import ru.svoykrug.hub.connect.StagedPage.SaleKind;
import ru.svoykrug.hub.connect.StagedPage.SaleRow;
import ru.svoykrug.hub.connect.StagedPage.SaleStatus;
import ru.svoykrug.hub.customers.PhoneNumbers;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneId;

/**
 * iiko delivery orders to canonical sales. A {@code Closed} order is a completed sale; a {@code Cancelled}
 * one is void (also when it was closed before); any other status is still under way. The amount is
 * {@code order.sum}; the time is when it was closed (else created), terminal-local, stored as UTC.
 */
final class IikoMapper {

    private final ZoneId terminalZone;

    IikoMapper(ZoneId terminalZone) {
        this.terminalZone = terminalZone;
    }

    void map(JsonNode ordersByOrganizations, StagedPage page) {
        for (JsonNode organization : ordersByOrganizations) {
            for (JsonNode item : organization.path("orders")) {
                page.read(1);
                String sourceId = item.path("id").isString() ? item.path("id").asString() : null;
                try {
                    SaleRow row = order(item);
                    page.seen(row.sourceChangedAt());
                    page.sales.add(row);
                } catch (MappingException e) {
                    page.rejected.add(StagedPage.Rejected.of(sourceId, item, e));
                }
            }
        }
    }

    private SaleRow order(JsonNode item) {
        String id = item.path("id").asString("");
        if (id.isBlank()) {
            throw new MappingException("id is missing");
        }
        JsonNode order = item.path("order");
        if (!order.isObject()) {
            throw new MappingException("order is missing (creationStatus " + item.path("creationStatus").asString("?") + ")");
        }
        JsonNode timestamp = item.get("timestamp");
        if (timestamp == null || !timestamp.canConvertToLong()) {
            throw new MappingException("timestamp is missing");
        }
        Instant changedAt = Instant.ofEpochMilli(timestamp.asLong());
        String statusText = order.path("status").asString("");
        SaleStatus status = switch (statusText) {
            case "Closed" -> SaleStatus.COMPLETED;
            case "Cancelled" -> SaleStatus.VOID;
            case "" -> throw new MappingException("order.status is missing");
            default -> SaleStatus.PENDING;
        };
        JsonNode closed = order.get("whenClosed");
        Instant occurredAt = closed != null && closed.isString()
                ? IikoDates.parse(closed.asString(), terminalZone, "order.whenClosed")
                : IikoDates.parse(order.path("whenCreated").asString(null), terminalZone, "order.whenCreated");
        long amount = Money.kopecks(order.get("sum"), "order.sum");
        JsonNode customer = order.path("customer");
        String customerId = customer.isObject() && customer.path("id").isString() ? customer.path("id").asString() : null;
        String phone = PhoneNumbers.toE164(order.path("phone").asString(null)).orElse(null);
        return new SaleRow(id, SaleKind.SALE, status, customerId, phone, occurredAt, amount, changedAt);
    }
}
