package ru.svoykrug.hub.connect.amocrm;

import ru.svoykrug.hub.customers.PhoneNumbers;
import ru.svoykrug.hub.staging.MappingException;
import ru.svoykrug.hub.staging.Money;
import ru.svoykrug.hub.staging.StagedPage.CustomerRow;
import ru.svoykrug.hub.staging.StagedPage.SaleKind;
import ru.svoykrug.hub.staging.StagedPage.SaleRow;
import ru.svoykrug.hub.staging.StagedPage.SaleStatus;
import ru.svoykrug.hub.staging.StagedPage;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * amoCRM contacts and leads to canonical rows. Only a lead in status 142 (won) is a completed sale: a
 * lead that leaves 142 is no longer one (lost, 143, or deleted: void; reopened: pending). Its amount is
 * the lead's {@code price}, whole roubles, and its time the lead's {@code closed_at}: a won lead without
 * either is a dead letter, never a sale of 0 roubles or at another time. A contact's phone is the first value of its {@code PHONE}
 * custom field; {@code custom_fields_values} is null when the contact has no custom fields at all.
 */
final class AmocrmMapper {

    static final int WON = 142;
    static final int LOST = 143;

    void map(String stream, JsonNode items, StagedPage page) {
        for (JsonNode item : items) {
            page.read(1);
            String sourceId = item.path("id").isValueNode() ? item.path("id").asString() : null;
            try {
                Instant changedAt = unix(item, "updated_at");
                page.seen(sourceId, changedAt);
                switch (stream) {
                    case "contacts" -> page.customers.add(contact(item, changedAt));
                    case "leads" -> page.sales.add(lead(item, changedAt, false));
                    case "deleted_leads" -> page.sales.add(lead(item, changedAt, true));
                    default -> throw new IllegalArgumentException("Unknown amoCRM stream " + stream);
                }
                if (sourceId != null) {
                    page.mapped.add(sourceId.trim());
                }
            } catch (MappingException e) {
                page.rejected.add(StagedPage.Rejected.of(sourceId, item, e));
            }
        }
    }

    private CustomerRow contact(JsonNode item, Instant changedAt) {
        JsonNode name = item.get("name");
        return new CustomerRow(id(item), name == null || name.isNull() ? null : name.asString(), phone(item),
                item.path("is_deleted").asBoolean(false), changedAt);
    }

    private SaleRow lead(JsonNode item, Instant changedAt, boolean deleted) {
        String id = id(item);
        JsonNode statusId = item.get("status_id");
        if (statusId == null || statusId.isNull()) {
            throw new MappingException("status_id is missing");
        }
        if (!statusId.isIntegralNumber() || !statusId.canConvertToInt() || statusId.asInt() <= 0) {
            throw new MappingException("status_id is not an amoCRM status id");
        }
        int status = statusId.asInt();
        SaleStatus saleStatus = deleted || item.path("is_deleted").asBoolean(false) || status == LOST ? SaleStatus.VOID
                : status == WON ? SaleStatus.COMPLETED : SaleStatus.PENDING;
        JsonNode price = item.get("price");
        long amount;
        if (price == null || price.isNull()) {
            // a won lead without a budget is no sale of 0 roubles: nobody knows what was paid
            if (saleStatus == SaleStatus.COMPLETED) {
                throw new MappingException("price is missing on a won lead");
            }
            amount = 0;
        } else {
            amount = Money.kopecks(price, "price");
            if (amount < 0) {
                throw new MappingException("price is negative");
            }
        }
        Instant closedAt = optionalUnix(item, "closed_at");
        if (closedAt == null && saleStatus == SaleStatus.COMPLETED) {
            throw new MappingException("closed_at is missing on a won lead");
        }
        // a lead not won (yet) is dated by its creation; a won one only by its closing, never a guess
        Instant occurredAt = closedAt != null ? closedAt : unix(item, "created_at");
        return new SaleRow(id, SaleKind.SALE, saleStatus, mainContact(item), null, occurredAt, amount, changedAt);
    }

    private static String mainContact(JsonNode lead) {
        JsonNode contacts = lead.path("_embedded").path("contacts");
        String first = null;
        for (JsonNode contact : contacts) {
            String id = contact.path("id").isValueNode() ? contact.path("id").asString() : null;
            if (contact.path("is_main").asBoolean(false)) {
                return id;
            }
            first = first == null ? id : first;
        }
        return first;
    }

    private static String phone(JsonNode contact) {
        for (JsonNode field : contact.path("custom_fields_values")) {
            if ("PHONE".equals(field.path("field_code").asString(""))) {
                for (JsonNode value : field.path("values")) {
                    String text = value.path("value").asString("");
                    var e164 = PhoneNumbers.toE164(text);
                    if (e164.isPresent()) {
                        return e164.get();
                    }
                }
            }
        }
        return null;
    }

    private static String id(JsonNode item) {
        JsonNode id = item.get("id");
        if (id == null || id.isNull()) {
            throw new MappingException("id is missing");
        }
        if (!id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() <= 0) {
            throw new MappingException("id is not an amoCRM id");
        }
        return Long.toString(id.asLong());
    }

    private static Instant unix(JsonNode item, String field) {
        Instant at = optionalUnix(item, field);
        if (at == null) {
            throw new MappingException(field + " is missing");
        }
        return at;
    }

    /**
     * A Unix time in seconds as amoCRM sends it: a whole number, and one of this world (2000..2100:
     * milliseconds, a negative number or a date string are not what the format says). 0 and null are none.
     */
    private static Instant optionalUnix(JsonNode item, String field) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull() || (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() == 0)) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()
                || value.asLong() < EARLIEST.getEpochSecond() || value.asLong() >= LATEST.getEpochSecond()) {
            throw new MappingException(field + " is not a Unix time in seconds");
        }
        return Instant.ofEpochSecond(value.asLong());
    }

    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
}
