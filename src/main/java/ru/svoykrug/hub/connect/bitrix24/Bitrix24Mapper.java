package ru.svoykrug.hub.connect.bitrix24;

import ru.svoykrug.hub.customers.PhoneNumbers;
import ru.svoykrug.hub.staging.MappingException;
import ru.svoykrug.hub.staging.Money;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.staging.StagedPage.CustomerRow;
import ru.svoykrug.hub.staging.StagedPage.SaleKind;
import ru.svoykrug.hub.staging.StagedPage.SaleRow;
import ru.svoykrug.hub.staging.StagedPage.SaleStatus;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Bitrix24 contacts and deals to canonical rows. Every value comes as a string, ids too; dates are ISO 8601
 * with the portal's offset. A deal's status is its {@code STAGE_SEMANTIC_ID} (stage ids differ per funnel
 * and portal): "S" won is a completed sale of its {@code OPPORTUNITY} roubles on its {@code CLOSEDATE}, "F"
 * lost is void, "P" in progress is pending (staged, so a won deal reopened stops being a sale, as an amoCRM
 * lead does). A deal in another currency than roubles, or with a value outside the format, is a dead letter.
 */
final class Bitrix24Mapper {

    /** What is asked of contacts: the fields read here and nothing more (multiple fields such as PHONE must be named). */
    static final List<String> CONTACT_FIELDS = List.of("ID", "NAME", "LAST_NAME", "DATE_MODIFY", "PHONE");
    /** What is asked of deals: no title, comment or anything a manager types. */
    static final List<String> DEAL_FIELDS = List.of("ID", "STAGE_SEMANTIC_ID", "CURRENCY_ID", "OPPORTUNITY", "CONTACT_ID",
            "CLOSEDATE", "DATE_CREATE", "DATE_MODIFY");

    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,18}");
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    static List<String> fields(String stream) {
        return switch (stream) {
            case "contacts" -> CONTACT_FIELDS;
            case "deals" -> DEAL_FIELDS;
            default -> throw new IllegalArgumentException("Unknown Bitrix24 stream " + stream);
        };
    }

    /** Maps the records into {@code page}; returns each record's {@code DATE_MODIFY} in order (null where unreadable). */
    List<Instant> map(String stream, JsonNode items, StagedPage page) {
        List<Instant> changes = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            page.read(1);
            String sourceId = item.path("ID").isValueNode() ? item.path("ID").asString() : null;
            Instant changedAt = null;
            try {
                changedAt = date(item, "DATE_MODIFY").orElseThrow(() -> new MappingException("DATE_MODIFY is missing"));
                page.seen(changedAt);
                switch (stream) {
                    case "contacts" -> page.customers.add(contact(item, changedAt));
                    case "deals" -> page.sales.add(deal(item, changedAt));
                    default -> throw new IllegalArgumentException("Unknown Bitrix24 stream " + stream);
                }
                page.mapped.add(sourceId.trim());
            } catch (MappingException e) {
                page.rejected.add(StagedPage.Rejected.of(sourceId, item, e));
            }
            changes.add(changedAt);
        }
        return changes;
    }

    private CustomerRow contact(JsonNode item, Instant changedAt) {
        return new CustomerRow(id(item, "ID"), name(item), phone(item), false, changedAt);
    }

    private SaleRow deal(JsonNode item, Instant changedAt) {
        String id = id(item, "ID");
        SaleStatus status = switch (text(item, "STAGE_SEMANTIC_ID")) {
            case "S" -> SaleStatus.COMPLETED;
            case "F" -> SaleStatus.VOID;
            case "P" -> SaleStatus.PENDING;
            case "" -> throw new MappingException("STAGE_SEMANTIC_ID is missing");
            default -> throw new MappingException("STAGE_SEMANTIC_ID is not S, F or P");
        };
        boolean won = status == SaleStatus.COMPLETED;
        String currency = text(item, "CURRENCY_ID");
        if (currency.isEmpty()) {
            throw new MappingException("CURRENCY_ID is missing");
        }
        if (!currency.equals("RUB")) {
            throw new MappingException("CURRENCY_ID is not RUB: the programme counts roubles only");
        }
        long amount = 0;
        if (!text(item, "OPPORTUNITY").isEmpty()) {
            amount = Money.kopecks(item.get("OPPORTUNITY"), "OPPORTUNITY");
            if (amount < 0) {
                throw new MappingException("OPPORTUNITY is negative");
            }
        } else if (won) {
            throw new MappingException("OPPORTUNITY is missing on a won deal"); // never a sale of 0 roubles
        }
        Optional<Instant> closed = date(item, "CLOSEDATE");
        if (closed.isEmpty() && won) {
            throw new MappingException("CLOSEDATE is missing on a won deal");
        }
        // a deal is dated by its close date (a day, sent as its midnight with the portal's offset); one not
        // closed and without one, by its creation
        Instant occurredAt = closed.isPresent() ? closed.get()
                : date(item, "DATE_CREATE").orElseThrow(() -> new MappingException("DATE_CREATE is missing"));
        String contact = text(item, "CONTACT_ID");
        String customer = contact.isEmpty() || contact.equals("0") ? null : id(item, "CONTACT_ID");
        return new SaleRow(id, SaleKind.SALE, status, customer, null, occurredAt, amount, changedAt);
    }

    /** The name to greet: first name and last name as the card has them; no patronymic is asked for. */
    private static String name(JsonNode item) {
        String name = (text(item, "NAME") + " " + text(item, "LAST_NAME")).trim();
        return name.isEmpty() ? null : name;
    }

    /** A mobile first (customers are matched across partners by phone, and a work line is often shared), else the first usable. */
    private static String phone(JsonNode contact) {
        String first = null;
        for (JsonNode value : contact.path("PHONE")) {
            Optional<String> e164 = PhoneNumbers.toE164(value.path("VALUE").asString(""));
            if (e164.isPresent()) {
                if ("MOBILE".equals(value.path("VALUE_TYPE").asString(""))) {
                    return e164.get();
                }
                first = first == null ? e164.get() : first;
            }
        }
        return first;
    }

    private static String id(JsonNode item, String field) {
        String id = text(item, field);
        if (id.isEmpty()) {
            throw new MappingException(field + " is missing");
        }
        if (!ID.matcher(id).matches()) {
            throw new MappingException(field + " is not a Bitrix24 id");
        }
        return id;
    }

    /** A string value, trimmed; empty when missing, null or empty (Bitrix24 writes an empty value as ""). */
    private static String text(JsonNode item, String field) {
        JsonNode value = item.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? "" : value.asString().trim();
    }

    /**
     * A date-time as Bitrix24 writes it, {@code 2024-03-05T14:07:00+03:00}: with its offset, a real date of
     * this world (no 30 February, no month 13). Empty when the field is empty.
     */
    private static Optional<Instant> date(JsonNode item, String field) {
        String text = text(item, field);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new MappingException(field + " is not a Bitrix24 date-time with offset");
        }
        if (at.isBefore(EARLIEST) || !at.isBefore(LATEST)) {
            throw new MappingException(field + " is not a date of this century");
        }
        return Optional.of(at);
    }
}
