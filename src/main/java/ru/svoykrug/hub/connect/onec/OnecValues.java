package ru.svoykrug.hub.connect.onec;

import ru.svoykrug.hub.staging.MappingException;
import tools.jackson.databind.JsonNode;

import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;

/** 1C's way of saying "none": an all-zero reference and the date 0001-01-01T00:00:00. Dates carry no zone. */
final class OnecValues {

    static final String EMPTY_REF = "00000000-0000-0000-0000-000000000000";
    static final String EMPTY_DATE = "0001-01-01T00:00:00";

    private OnecValues() {
    }

    /** A reference, or null for a missing or empty one. */
    static String ref(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || !value.isValueNode()) {
            return null;
        }
        String text = value.asString().trim();
        return text.isEmpty() || EMPTY_REF.equals(text) ? null : text;
    }

    /** A server-local date-time, or null for a missing or empty one. */
    static LocalDateTime date(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.asString().trim();
        if (text.isEmpty() || text.startsWith("0001-01-01")) {
            return null;
        }
        try {
            return LocalDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new MappingException(field + " is not a date-time (yyyy-mm-ddThh:mm:ss)");
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
