package ru.svoykrug.hub.simulate.yclients;

import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.Client;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.Defect;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.Payment;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.Visit;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import static ru.svoykrug.hub.simulate.kit.Answers.NODES;
import static ru.svoykrug.hub.simulate.kit.Answers.json;
import static ru.svoykrug.hub.simulate.kit.Answers.jsonBuilder;

/** What the YCLIENTS API writes: records, clients and transactions (malformed ones included), envelopes, errors. */
record YclientsBodies(YclientsDataSet data, int companyId) {

    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter ISO_COLON = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
    private static final DateTimeFormatter ISO_PLAIN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx");



    ObjectNode record(Visit v) {
        ObjectNode r = NODES.objectNode();
        if (v.defect() != Defect.NO_ID) r.put("id", v.id());
        r.put("company_id", companyId);
        ArrayNode services = r.putArray("services");
        for (int i = 0; i < v.serviceKopecks().length; i++) {
            ObjectNode s = services.addObject();
            s.put("id", 1000 + i);
            s.put("title", "Стрижка, укладка #" + (i + 1));
            if (v.defect() == Defect.BAD_AMOUNT && i == 0) s.put("cost", "бесплатно");
            else s.put("cost", BigDecimal.valueOf(v.serviceKopecks()[i], 2));
            s.put("amount", 1);
            s.put("discount", 0);
        }
        if (v.clientId() == null) r.putNull("client");
        else r.set("client", clientRef(v.clientId()));
        // an impossible day (a lenient parser makes it the month's last) or no date at all
        r.put("datetime", v.defect() == Defect.BAD_DATE ? (v.id() % 2 == 0 ? "2025-02-30 10:00:00" : "2025-13-45 99:99:99")
                : date(v.datetime(), v.id()));
        r.put("create_date", date(v.datetime().minusDays(3), v.id() + 1));
        r.put("last_change_date", date(LocalDateTime.ofInstant(v.lastChange(), data.zone), v.id() + 2));
        r.put("attendance", v.defect() == Defect.BAD_ATTENDANCE ? 7 : v.attendance());
        r.put("deleted", v.deleted());
        r.put("visit_id", 500_000 + v.id());
        r.put("comment", "");
        return r;
    }

    ObjectNode client(Client c) {
        ObjectNode n = NODES.objectNode();
        if (c.defect() != Defect.NO_ID) n.put("id", c.id());
        n.put("name", c.name());
        n.put("phone", c.phone());
        n.put("email", "");
        n.put("card", "");
        n.put("birth_date", "");
        n.put("spent", 0);
        n.put("visits", 0);
        n.put("last_change_date", date(LocalDateTime.ofInstant(c.lastChange(), data.zone), c.id()));
        return n;
    }

    private ObjectNode clientRef(int clientId) {
        ObjectNode n = NODES.objectNode();
        n.put("id", clientId);
        n.put("name", "Клиент " + clientId);
        n.put("phone", YclientsHistory.phoneOf(clientId));
        n.put("email", "");
        return n;
    }

    ObjectNode transaction(Payment p) {
        ObjectNode t = NODES.objectNode();
        t.put("id", Integer.toString(p.id()));
        t.put("document_id", p.documentId());
        t.put("date", p.defect() == Defect.BAD_DATE ? "вчера" : SPACED.format(p.date()));
        t.put("type_id", 1);
        t.putObject("expense").put("id", 1).put("title", "Оказание услуг");
        t.put("amount", p.defect() == Defect.BAD_AMOUNT
                ? BigDecimal.valueOf(p.kopecks(), 2).toPlainString().replace('.', ',')
                : BigDecimal.valueOf(p.kopecks(), 2).toPlainString());
        if (p.clientId() == null) t.putNull("client");
        else t.set("client", clientRef(p.clientId()));
        if (p.recordId() == null) t.put("record_id", 0); else t.put("record_id", p.recordId());
        t.put("visit_id", p.recordId() == null ? 0 : 500_000 + p.recordId());
        t.put("deleted", p.deleted());
        t.put("last_change_date", date(LocalDateTime.ofInstant(p.lastChange(), data.zone), p.id()));
        return t;
    }

    /** The three shapes YCLIENTS mixes, chosen by a number so the output stays deterministic. */
    private String date(LocalDateTime local, int n) {
        ZonedDateTime zoned = local.atZone(data.zone);
        return switch (Math.floorMod(n, 3)) {
            case 0 -> SPACED.format(local);
            case 1 -> ISO_COLON.format(zoned);
            default -> ISO_PLAIN.format(zoned);
        };
    }

    /** The user {@code POST /auth} answers with, holding the user token. */
    static ObjectNode user(String userToken) {
        return NODES.objectNode().put("id", 1_234_567).put("user_token", userToken)
                .put("name", "Администратор").put("phone", "79161234567").put("login", YclientsSimulator.LOGIN)
                .put("email", YclientsSimulator.LOGIN).put("avatar", "https://assets.yclients.com/general/0/01/123.png")
                .put("is_approved", true);
    }

    static ObjectNode envelope(JsonNode data, JsonNode meta) {
        ObjectNode e = NODES.objectNode();
        e.put("success", true);
        e.set("data", data);
        e.set("meta", meta);
        return e;
    }

    static ResponseDefinition error(int status, String message, int retryAfterSeconds) {
        ObjectNode body = NODES.objectNode();
        body.put("success", false);
        body.putNull("data");
        body.putObject("meta").put("message", message);
        if (retryAfterSeconds > 0) {
            return jsonBuilder(status, body, "application/json")
                    .withHeader("Retry-After", Integer.toString(retryAfterSeconds)).build();
        }
        return json(status, body);
    }
}
