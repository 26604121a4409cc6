package ru.svoykrug.hub.connect.yclients;

import ru.svoykrug.hub.connect.MappingException;
import ru.svoykrug.hub.connect.Money;
import ru.svoykrug.hub.connect.StagedPage;
import ru.svoykrug.hub.connect.StagedPage.CustomerRow;
import ru.svoykrug.hub.connect.StagedPage.PaymentRow;
import ru.svoykrug.hub.connect.StagedPage.SaleKind;
import ru.svoykrug.hub.connect.StagedPage.SaleRow;
import ru.svoykrug.hub.connect.StagedPage.SaleStatus;
import ru.svoykrug.hub.customers.PhoneNumbers;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneId;

/**
 * YCLIENTS records to canonical rows. Only an appointment the client came to ({@code attendance} 1)
 * is a completed sale; a deleted one is void, whatever its attendance. Service titles are not kept.
 */
final class YclientsMapper {

    private final ZoneId zone;

    YclientsMapper(ZoneId zone) {
        this.zone = zone;
    }

    void map(String stream, JsonNode data, StagedPage page) {
        for (JsonNode item : data) {
            page.read(1);
            String sourceId = item.path("id").isValueNode() ? item.path("id").asString() : null;
            try {
                Instant changedAt = YclientsDates.parse(text(item, "last_change_date"), zone, "last_change_date");
                page.seen(changedAt);
                switch (stream) {
                    case "clients" -> page.customers.add(client(item, changedAt));
                    case "records" -> page.sales.add(record(item, changedAt));
                    case "transactions" -> page.payments.add(transaction(item, changedAt));
                    default -> throw new IllegalArgumentException("Unknown YCLIENTS stream " + stream);
                }
            } catch (MappingException e) {
                page.rejected.add(new StagedPage.Rejected(sourceId, e.getMessage(), item.toString()));
            }
        }
    }

    private CustomerRow client(JsonNode item, Instant changedAt) {
        return new CustomerRow(id(item), text(item, "name"), phone(item), item.path("deleted").asBoolean(false), changedAt);
    }

    private SaleRow record(JsonNode item, Instant changedAt) {
        String id = id(item);
        Instant at = YclientsDates.parse(text(item, "datetime"), zone, "datetime");
        long amount = 0;
        JsonNode services = item.path("services");
        if (!services.isMissingNode() && !services.isNull() && !services.isArray()) {
            throw new MappingException("services is not a list");
        }
        for (JsonNode service : services) {
            amount += Money.kopecks(service.get("cost"), "services[].cost");
        }
        SaleStatus attended = attendance(item.get("attendance"));
        SaleStatus status = item.path("deleted").asBoolean(false) ? SaleStatus.VOID : attended;
        JsonNode client = item.path("client");
        String clientId = client.isObject() && client.path("id").isValueNode() ? client.path("id").asString() : null;
        String phone = client.isObject() ? phone(client) : null;
        return new SaleRow(id, SaleKind.SALE, status, clientId, phone, at, amount, changedAt);
    }

    private PaymentRow transaction(JsonNode item, Instant changedAt) {
        String id = id(item);
        Instant at = YclientsDates.parse(text(item, "date"), zone, "date");
        long amount = Money.kopecks(item.get("amount"), "amount");
        JsonNode client = item.path("client");
        String clientId = client.isObject() && client.path("id").isValueNode() ? client.path("id").asString() : null;
        String phone = client.isObject() ? phone(client) : null;
        JsonNode recordId = item.path("record_id");
        String saleId = recordId.isValueNode() && !"0".equals(recordId.asString()) ? recordId.asString() : null;
        return new PaymentRow(id, saleId, clientId, phone, at, amount, item.path("deleted").asBoolean(false), changedAt);
    }

    private static SaleStatus attendance(JsonNode attendance) {
        if (attendance == null || !attendance.canConvertToInt()) {
            throw new MappingException("attendance is missing");
        }
        return switch (attendance.asInt()) {
            case 1 -> SaleStatus.COMPLETED;
            case -1 -> SaleStatus.NO_SHOW;
            case 0, 2 -> SaleStatus.PENDING;
            default -> throw new MappingException("attendance " + attendance.asInt() + " is not one YCLIENTS defines");
        };
    }

    private static String id(JsonNode item) {
        JsonNode id = item.get("id");
        if (id == null || id.isNull() || !id.isValueNode() || id.asString().isBlank()) {
            throw new MappingException("id is missing");
        }
        String text = id.asString().trim();
        if (!text.chars().allMatch(Character::isDigit)) {
            throw new MappingException("id '" + text + "' is not a YCLIENTS id");
        }
        return text;
    }

    private static String phone(JsonNode node) {
        return PhoneNumbers.toE164(text(node, "phone")).orElse(null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
