package ru.svoykrug.hub.simulate.yclients;

import com.github.tomakehurst.wiremock.http.Request;
import ru.svoykrug.hub.simulate.kit.Requests.BadRequest;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.IdList;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.Payment;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.Visit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;

import static ru.svoykrug.hub.simulate.kit.Answers.NODES;
import static ru.svoykrug.hub.simulate.kit.Requests.intParam;
import static ru.svoykrug.hub.simulate.kit.Requests.param;
import static ru.svoykrug.hub.simulate.yclients.YclientsBodies.envelope;

/**
 * The list calls of YCLIENTS: {@code page}/{@code count}, {@code changed_after} in the company's local time,
 * {@code with_deleted} on records, {@code start_date}/{@code end_date} on transactions, whose {@code meta}
 * is an empty array where the others carry {@code total_count}.
 */
record YclientsListing(YclientsDataSet data, YclientsBodies bodies) {

    /** One page of a stream, in its envelope; a request the API refuses throws {@link BadRequest}. */
    ObjectNode page(String stream, Request request) {
        int page = intParam(request, "page", 1);
        int count = intParam(request, "count", 20);
        if (page < 1 || count < 1 || count > 1000) {
            throw new BadRequest("page and count must be positive, count at most 1000");
        }
        Instant since = null;
        String changedAfter = param(request, "changed_after");
        if (changedAfter != null) {
            try {
                since = LocalDateTime.parse(changedAfter).atZone(data.zone).toInstant();
            } catch (DateTimeParseException e) {
                throw new BadRequest("changed_after must look like 2024-03-01T00:00:00");
            }
        }
        LocalDate from = null, to = null;
        if (stream.equals("transactions")) {
            String start = param(request, "start_date"), end = param(request, "end_date");
            if (start == null || end == null) {
                throw new BadRequest("start_date and end_date are required");
            }
            from = LocalDate.parse(start);
            to = LocalDate.parse(end);
        }
        boolean withDeleted = "1".equals(param(request, "with_deleted"));
        IdList ids = data.changedSince(stream, since);
        ArrayNode items = NODES.arrayNode();
        int first = (page - 1) * count;
        for (int i = first; i < Math.min(ids.size(), first + count); i++) {
            int id = ids.get(i);
            switch (stream) {
                case "records" -> {
                    Visit v = data.record(id);
                    if (withDeleted || !v.deleted()) items.add(bodies.record(v));
                }
                case "clients" -> items.add(bodies.client(data.client(id)));
                default -> {
                    Payment p = data.transaction(id);
                    LocalDate day = p.date().toLocalDate();
                    if (!day.isBefore(from) && !day.isAfter(to)) items.add(bodies.transaction(p));
                }
            }
        }
        JsonNode meta = stream.equals("transactions") ? NODES.arrayNode() : NODES.objectNode().put("total_count", ids.size());
        return envelope(items, meta);
    }
}
