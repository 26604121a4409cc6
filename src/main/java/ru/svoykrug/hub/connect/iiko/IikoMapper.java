package ru.svoykrug.hub.connect.iiko;

import ru.svoykrug.hub.customers.PhoneNumbers;
import ru.svoykrug.hub.staging.MappingException;
import ru.svoykrug.hub.staging.Money;
import ru.svoykrug.hub.staging.StagedPage.SaleKind;
import ru.svoykrug.hub.staging.StagedPage.SaleRow;
import ru.svoykrug.hub.staging.StagedPage.SaleStatus;
import ru.svoykrug.hub.staging.StagedPage;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;

/**
 * iiko delivery orders to canonical sales. A {@code Closed} order is a completed sale; a {@code Cancelled}
 * one is void (also when it was closed before); the other delivery statuses iiko documents are still
 * under way, and a status it does not document is a malformed record. The amount is {@code order.sum};
 * the time is when it was closed (else created), terminal-local, stored as UTC.
 *
 * <p>A sale's source id is {@code <organizationId>:<orderId>}: one apiLogin reads several restaurants,
 * and nothing in iiko's contract makes an order id unique across them.
 */
final class IikoMapper {

    /** iikoCloud's delivery statuses besides Closed and Cancelled. */
    static final Set<String> UNDER_WAY = Set.of("Unconfirmed", "WaitCooking", "ReadyForCooking", "CookingStarted",
            "CookingCompleted", "Waiting", "OnWay", "Delivered");

    private final ZoneId terminalZone;
    private final String requestedOrganization;

    IikoMapper(ZoneId terminalZone, String requestedOrganization) {
        this.terminalZone = terminalZone;
        this.requestedOrganization = requestedOrganization;
    }

    static String sourceId(String organizationId, String orderId) {
        return organizationId + ":" + orderId;
    }

    void map(JsonNode ordersByOrganizations, StagedPage page) {
        for (JsonNode organization : ordersByOrganizations) {
            String organizationId = organization.path("organizationId").isString()
                    ? organization.path("organizationId").asString() : requestedOrganization;
            for (JsonNode item : organization.path("orders")) {
                page.read(1);
                String sourceId = item.path("id").isString() ? sourceId(organizationId, item.path("id").asString()) : null;
                try {
                    SaleRow row = order(organizationId, item);
                    page.seen(row.sourceChangedAt());
                    page.sales.add(row);
                } catch (MappingException e) {
                    page.rejected.add(StagedPage.Rejected.of(sourceId, item, e));
                }
            }
        }
    }

    private SaleRow order(String organizationId, JsonNode item) {
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
            default -> {
                if (!UNDER_WAY.contains(statusText)) {
                    throw new MappingException("order.status is not an iiko delivery status");
                }
                yield SaleStatus.PENDING;
            }
        };
        JsonNode closed = order.get("whenClosed");
        Instant occurredAt = closed != null && closed.isString()
                ? IikoDates.parse(closed.asString(), terminalZone, "order.whenClosed")
                : IikoDates.parse(order.path("whenCreated").asString(null), terminalZone, "order.whenCreated");
        long amount = amount(order.get("sum"));
        JsonNode customer = order.path("customer");
        String customerId = customer.isObject() && customer.path("id").isString() ? customer.path("id").asString() : null;
        String phone = PhoneNumbers.toE164(order.path("phone").asString(null)).orElse(null);
        return new SaleRow(sourceId(organizationId, id), SaleKind.SALE, status, customerId, phone, occurredAt, amount, changedAt);
    }

    /** iiko sends {@code order.sum} as a JSON number of roubles, never negative. */
    private static long amount(JsonNode sum) {
        if (sum != null && !sum.isNull() && !sum.isMissingNode() && !sum.isNumber()) {
            throw new MappingException("order.sum is not a number");
        }
        if (sum != null && sum.isNumber() && sum.decimalValue().stripTrailingZeros().scale() > 2) {
            throw new MappingException("order.sum has fractions of a kopeck");
        }
        long kopecks;
        try {
            kopecks = Money.kopecks(sum, "order.sum");
        } catch (ArithmeticException | NumberFormatException e) {
            throw new MappingException("order.sum is out of range");
        }
        if (kopecks < 0) {
            throw new MappingException("order.sum is negative");
        }
        return kopecks;
    }
}
