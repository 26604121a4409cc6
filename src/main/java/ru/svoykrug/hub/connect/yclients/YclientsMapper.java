package ru.svoykrug.hub.connect.yclients;

import ru.svoykrug.hub.customers.PhoneNumbers;
import ru.svoykrug.hub.staging.MappingException;
import ru.svoykrug.hub.staging.Money;
import ru.svoykrug.hub.staging.StagedPage.CustomerRow;
import ru.svoykrug.hub.staging.StagedPage.PaymentRow;
import ru.svoykrug.hub.staging.StagedPage.SaleKind;
import ru.svoykrug.hub.staging.StagedPage.SaleRow;
import ru.svoykrug.hub.staging.StagedPage.SaleStatus;
import ru.svoykrug.hub.staging.StagedPage;
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
                page.seen(sourceId, changedAt);
                switch (stream) {
                    case "clients" -> page.customers.add(client(item, changedAt));
                    case "records" -> page.sales.add(record(item, changedAt));
                    case "transactions" -> page.payments.add(transaction(item, changedAt, page));
                    default -> throw new IllegalArgumentException("Unknown YCLIENTS stream " + stream);
                }
                if (sourceId != null) {
                    page.mapped.add(sourceId.trim());
                }
            } catch (MappingException e) {
                page.rejected.add(StagedPage.Rejected.of(sourceId, item, e));
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

    /**
     * A money movement. One for a visit names its record ({@code record_id}); one of a sale at the
     * counter (goods, no visit: {@code record_id} and {@code visit_id} 0) names the sale's document
     * ({@code document_id}), and that document is a sale of its own, {@code document-<id>}, staged from
     * its money in. A negative amount is money returned: a refund of the record's or the document's sale.
     */
    private PaymentRow transaction(JsonNode item, Instant changedAt, StagedPage page) {
        String id = id(item);
        Instant at = YclientsDates.parse(text(item, "date"), zone, "date");
        long amount = Money.kopecks(item.get("amount"), "amount");
        JsonNode client = item.path("client");
        String clientId = client.isObject() && client.path("id").isValueNode() ? client.path("id").asString() : null;
        String phone = client.isObject() ? phone(client) : null;
        String recordId = reference(item, "record_id");
        String saleId = recordId;
        if (recordId == null && reference(item, "visit_id") == null) {
            String documentId = reference(item, "document_id");
            // a counter sale is someone's purchase; money with no client (a supplier, a payout) is no sale
            if (documentId != null && (clientId != null || phone != null)) {
                saleId = "document-" + documentId;
                page.salesFromPayments.add(saleId);
            }
        }
        return new PaymentRow(id, saleId, clientId, phone, at, amount, item.path("deleted").asBoolean(false), changedAt);
    }

    /** A reference to another YCLIENTS object: a positive id, or null when absent, empty or 0 (none). */
    private static String reference(JsonNode item, String field) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.isValueNode() ? value.asString().trim() : "-";
        if (text.isEmpty()) {
            return null;
        }
        if (!text.matches("\\d{1,19}")) {
            throw new MappingException(field + " is not a YCLIENTS id");
        }
        return text.matches("0+") ? null : text.replaceFirst("^0+", "");
    }

    private static SaleStatus attendance(JsonNode attendance) {
        if (attendance == null || attendance.isNull()) {
            throw new MappingException("attendance is missing");
        }
        if (!attendance.isIntegralNumber() && !(attendance.isString() && attendance.asString().matches("-?\\d{1,2}"))) {
            throw new MappingException("attendance is not a value YCLIENTS defines");
        }
        return switch (attendance.asInt()) {
            case 1 -> SaleStatus.COMPLETED;
            case -1 -> SaleStatus.NO_SHOW;
            case 0, 2 -> SaleStatus.PENDING;
            default -> throw new MappingException("attendance is not a value YCLIENTS defines");
        };
    }

    private static String id(JsonNode item) {
        JsonNode id = item.get("id");
        if (id == null || id.isNull() || !id.isValueNode() || id.asString().isBlank()) {
            throw new MappingException("id is missing");
        }
        String text = id.asString().trim();
        if (!text.chars().allMatch(Character::isDigit)) {
            throw new MappingException("id is not a YCLIENTS id");
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
