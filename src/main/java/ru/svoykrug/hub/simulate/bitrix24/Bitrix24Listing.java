package ru.svoykrug.hub.simulate.bitrix24;

import ru.svoykrug.hub.simulate.kit.Requests.BadRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static ru.svoykrug.hub.simulate.kit.Answers.NODES;

/**
 * A list method over whole records: filter (a key's prefix is its operation: {@code >=}, {@code >},
 * {@code <=}, {@code <}, {@code !=} or {@code !}, {@code =} or none), order, a page of 50 from
 * {@code start} with {@code next} and {@code total} ({@code start=-1}: the first 50, no count), then the
 * selected fields. Multiple fields ({@code PHONE}) come only when named in {@code select}, never by
 * {@code *}. Records are compared by what the API writes: dates as instants, numbers as numbers.
 */
record Bitrix24Listing(ZoneId zone) {

    static final int PAGE = 50;
    private static final Set<String> MULTIPLE = Set.of("PHONE", "EMAIL", "WEB", "IM", "LINK");



    ObjectNode page(List<ObjectNode> records, Bitrix24Query query) {
        Predicate<ObjectNode> matches = r -> true;
        for (Map.Entry<String, String> f : query.filter().entrySet()) {
            matches = matches.and(condition(f.getKey(), f.getValue()));
        }
        Comparator<ObjectNode> order = Comparator.comparing(r -> 0);
        for (Map.Entry<String, String> o : query.order().entrySet()) {
            Comparator<ObjectNode> by = (a, b) -> compare(o.getKey(), a.path(o.getKey()), b.path(o.getKey()));
            order = order.thenComparing(o.getValue().equalsIgnoreCase("DESC") ? by.reversed() : by);
        }
        order = order.thenComparing((a, b) -> compare("ID", a.path("ID"), b.path("ID")));
        List<ObjectNode> found = records.stream().filter(matches).sorted(order).toList();
        boolean counted = query.start() >= 0;
        int from = Math.max(0, query.start());
        ArrayNode result = NODES.arrayNode();
        found.stream().skip(from).limit(PAGE).forEach(r -> result.add(selected(r, query.select())));
        ObjectNode answer = NODES.objectNode();
        answer.set("result", result);
        if (counted && from + PAGE < found.size()) {
            answer.put("next", from + PAGE);
        }
        if (counted) {
            answer.put("total", found.size());
        }
        return answer;
    }

    private Predicate<ObjectNode> condition(String key, String value) {
        String op = key.replaceFirst("^([<>]=?|!=?|=)?.*$", "$1");
        String field = key.substring(op.length());
        return r -> {
            JsonNode actual = r.path(field);
            if (actual.isMissingNode() || actual.isNull()) {
                return op.startsWith("!");
            }
            int c = compare(field, actual, NODES.stringNode(value));
            return switch (op) {
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case "!", "!=" -> c != 0;
                default -> c == 0;
            };
        };
    }

    private int compare(String field, JsonNode a, JsonNode b) {
        String x = a.asString(""), y = b.asString("");
        if (field.startsWith("DATE_") || field.endsWith("DATE") || field.endsWith("_TIME")) {
            return instant(x).compareTo(instant(y));
        }
        try {
            return new BigDecimal(x).compareTo(new BigDecimal(y));
        } catch (NumberFormatException e) {
            return x.compareTo(y);
        }
    }

    /** A date as Bitrix24 takes it in a filter: with an offset, local to the portal, or a day. */
    private Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).atZone(zone).toInstant();
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDate.parse(text).atStartOfDay(zone).toInstant();
                } catch (DateTimeParseException e3) {
                    throw new BadRequest("Invalid date in filter");
                }
            }
        }
    }

    private static ObjectNode selected(ObjectNode record, List<String> select) {
        boolean all = select.isEmpty() || select.contains("*");
        ObjectNode out = NODES.objectNode();
        for (var field : record.properties()) {
            String name = field.getKey();
            if (select.contains(name) || (all && !MULTIPLE.contains(name))) {
                out.set(name, field.getValue());
            }
        }
        return out;
    }
}
