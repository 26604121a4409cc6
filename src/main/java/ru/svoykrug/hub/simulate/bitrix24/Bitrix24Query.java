package ru.svoykrug.hub.simulate.bitrix24;

import com.github.tomakehurst.wiremock.http.Request;
import ru.svoykrug.hub.simulate.kit.Requests.BadRequest;
import tools.jackson.databind.JsonNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static ru.svoykrug.hub.simulate.kit.Answers.JSON;

/**
 * The parameters of a Bitrix24 list method, whichever way they came: a query string or a form body
 * ({@code filter[>DATE_MODIFY]=...}, {@code order[DATE_MODIFY]=ASC}, {@code select[]=ID}, {@code start=50}),
 * or a JSON body ({@code {"filter": {...}, "order": {...}, "select": [...], "start": 50}}, names in any case).
 */
record Bitrix24Query(Map<String, String> filter, Map<String, String> order, List<String> select, int start) {

    static Bitrix24Query of(Request request) {
        Bitrix24Query query = new Bitrix24Query(new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>(), 0);
        String url = request.getUrl();
        int q = url.indexOf('?');
        query = query.withPairs(q < 0 ? "" : url.substring(q + 1));
        String contentType = String.valueOf(request.getHeader("Content-Type"));
        String body = request.getBodyAsString();
        if (body != null && !body.isBlank()) {
            query = contentType.startsWith("application/json") ? query.withJson(body) : query.withPairs(body);
        }
        return query;
    }

    private Bitrix24Query withPairs(String encoded) {
        int startAt = start;
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) continue;
            String[] kv = pair.split("=", 2);
            String name = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
            String value = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("filter[") && name.endsWith("]")) filter.put(name.substring(7, name.length() - 1), value);
            else if (lower.startsWith("order[") && name.endsWith("]")) order.put(name.substring(6, name.length() - 1), value);
            else if (lower.startsWith("select[")) select.add(value);
            else if (lower.equals("start")) startAt = number(value);
        }
        return new Bitrix24Query(filter, order, select, startAt);
    }

    private Bitrix24Query withJson(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (RuntimeException e) {
            throw new BadRequest("Request body is not JSON");
        }
        int startAt = start;
        for (var field : root.properties()) {
            JsonNode v = field.getValue();
            switch (field.getKey().toLowerCase(Locale.ROOT)) {
                case "filter" -> v.properties().forEach(f -> filter.put(f.getKey(), scalar(f.getValue())));
                case "order" -> v.properties().forEach(f -> order.put(f.getKey(), scalar(f.getValue())));
                case "select" -> v.forEach(s -> select.add(scalar(s)));
                case "start" -> startAt = number(scalar(v));
                default -> { }
            }
        }
        return new Bitrix24Query(filter, order, select, startAt);
    }

    /** A value as its text: {@code 40} and {@code "40"} alike. */
    private static String scalar(JsonNode v) {
        return v.isString() ? v.asString() : v.toString();
    }

    private static int number(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest("Parameter 'start' must be a number");
        }
    }
}
