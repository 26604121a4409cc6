package ru.svoykrug.hub.simulate.bitrix24;

import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import ru.svoykrug.hub.simulate.bitrix24.Bitrix24DataSet.Contact;
import ru.svoykrug.hub.simulate.bitrix24.Bitrix24DataSet.Deal;
import ru.svoykrug.hub.simulate.bitrix24.Bitrix24DataSet.Defect;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import static ru.svoykrug.hub.simulate.kit.Answers.NODES;
import static ru.svoykrug.hub.simulate.kit.Answers.json;

/**
 * What Bitrix24's REST API writes: contacts and deals with every value a string (ids and amounts too),
 * dates in ISO 8601 with the portal's offset, multiple fields ({@code PHONE}) as lists of
 * {@code {ID, VALUE_TYPE, VALUE, TYPE_ID}}, and errors as {@code {"error", "error_description"}}.
 */
final class Bitrix24Bodies {

    static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private Bitrix24Bodies() {
    }

    /** A contact with every field, {@code PHONE} included (a list method leaves it out unless selected). */
    static ObjectNode contact(Contact c, ZoneId zone) {
        ObjectNode n = NODES.objectNode();
        n.put("ID", Integer.toString(c.id()));
        n.put("NAME", c.name());
        n.put("SECOND_NAME", "");
        n.put("LAST_NAME", c.lastName());
        n.put("TYPE_ID", "CLIENT");
        n.put("SOURCE_ID", "STORE");
        n.put("BIRTHDATE", ""); // an empty date is an empty string, not null
        n.put("HAS_PHONE", c.phones().isEmpty() ? "N" : "Y");
        n.put("HAS_EMAIL", "N");
        n.put("HAS_IMOL", "N");
        n.put("ASSIGNED_BY_ID", "1");
        n.put("DATE_CREATE", date(c.created(), zone));
        n.put("DATE_MODIFY", date(c.modified(), zone));
        if (!c.phones().isEmpty()) {
            ArrayNode phones = n.putArray("PHONE");
            int line = 0;
            for (String phone : c.phones()) {
                phones.addObject().put("ID", Integer.toString(10 * c.id() + line)).put("VALUE_TYPE", line++ == 0 ? "WORK" : "MOBILE")
                        .put("VALUE", phone).put("TYPE_ID", "PHONE");
            }
        }
        return n;
    }

    static ObjectNode deal(Deal d, ZoneId zone) {
        ObjectNode n = NODES.objectNode();
        n.put("ID", Integer.toString(d.id()));
        n.put("TITLE", "Сделка #" + d.id());
        n.put("TYPE_ID", "SALE");
        n.put("CATEGORY_ID", d.stageId().startsWith("C1:") ? "1" : "0");
        n.put("STAGE_ID", d.stageId());
        n.put("STAGE_SEMANTIC_ID", d.defect() == Defect.UNKNOWN_SEMANTIC ? "X" : d.semantic());
        n.put("CURRENCY_ID", "RUB");
        n.put("OPPORTUNITY", d.defect() == Defect.BAD_OPPORTUNITY ? "договорная" : opportunity(d));
        n.put("IS_MANUAL_OPPORTUNITY", "N");
        n.putNull("COMPANY_ID");
        if (d.contactId() == 0) n.putNull("CONTACT_ID"); else n.put("CONTACT_ID", Integer.toString(d.contactId()));
        n.put("BEGINDATE", day(d.created(), zone));
        // a deal's close date is a day, sent as its midnight in the portal's zone
        n.put("CLOSEDATE", d.defect() == Defect.BAD_CLOSEDATE ? "2025-02-30T00:00:00+03:00"
                : day(d.closed() != null ? d.closed() : d.created().plus(7, ChronoUnit.DAYS), zone));
        n.put("CLOSED", d.closed() != null ? "Y" : "N");
        n.put("OPENED", "Y");
        n.put("ASSIGNED_BY_ID", "1");
        n.put("DATE_CREATE", date(d.created(), zone));
        n.put("DATE_MODIFY", date(d.modified(), zone));
        n.put("MOVED_TIME", date(d.closed() != null ? d.closed() : d.modified(), zone));
        n.put("COMMENTS", "");
        return n;
    }

    /** Roubles with two decimals, as the docs show; one deal in seven without them (see the README). */
    private static String opportunity(Deal d) {
        BigDecimal roubles = BigDecimal.valueOf(d.kopecks(), 2);
        return d.id() % 7 == 0 && d.kopecks() % 100 == 0 ? roubles.toBigInteger().toString() : roubles.toPlainString();
    }

    static String date(Instant instant, ZoneId zone) {
        return ISO.format(instant.atZone(zone));
    }

    private static String day(Instant instant, ZoneId zone) {
        return ISO.format(instant.atZone(zone).truncatedTo(ChronoUnit.DAYS));
    }

    static ResponseDefinition error(int status, String code, String description) {
        return json(status, NODES.objectNode().put("error", code).put("error_description", description));
    }
}
