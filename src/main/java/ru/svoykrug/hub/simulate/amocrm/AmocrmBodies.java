package ru.svoykrug.hub.simulate.amocrm;

import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import ru.svoykrug.hub.simulate.amocrm.AmocrmDataSet.Contact;
import ru.svoykrug.hub.simulate.amocrm.AmocrmDataSet.Lead;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static ru.svoykrug.hub.simulate.kit.Answers.NODES;
import static ru.svoykrug.hub.simulate.kit.Answers.json;

/** What the amoCRM API writes: leads and contacts as HAL, and its problem+json errors. */
final class AmocrmBodies {

    private static final int ACCOUNT_ID = 31_337_001;

    private AmocrmBodies() {
    }

    static ObjectNode lead(Lead l, boolean withContacts, String baseUrl) {
        ObjectNode n = NODES.objectNode();
        n.put("id", l.id());
        n.put("name", "Сделка #" + l.id());
        if (l.price() == null) n.putNull("price"); else n.put("price", l.price());
        n.put("responsible_user_id", 504_141);
        n.put("group_id", 0);
        n.put("status_id", l.status());
        n.put("pipeline_id", 3_428_428);
        n.putNull("loss_reason_id");
        n.put("created_by", 0);
        n.put("updated_by", 0);
        n.put("created_at", l.createdAt());
        n.put("updated_at", l.updatedAt());
        if (l.closedAt() == null) n.putNull("closed_at"); else n.put("closed_at", l.closedAt());
        n.putNull("closest_task_at");
        n.put("is_deleted", l.deleted());
        n.putNull("custom_fields_values");
        n.putNull("score");
        n.put("account_id", ACCOUNT_ID);
        n.putObject("_links").putObject("self").put("href", baseUrl + "/leads/" + l.id());
        ObjectNode embedded = n.putObject("_embedded");
        embedded.putArray("tags");
        if (withContacts) {
            ArrayNode contacts = embedded.putArray("contacts");
            if (l.contactId() != null) {
                contacts.addObject().put("id", l.contactId()).put("is_main", true);
            }
        }
        return n;
    }

    static ObjectNode contact(Contact c, String baseUrl) {
        ObjectNode n = NODES.objectNode();
        n.put("id", c.id());
        n.put("name", c.name());
        n.put("first_name", "");
        n.put("last_name", "");
        n.put("responsible_user_id", 504_141);
        n.put("group_id", 0);
        n.put("created_by", 0);
        n.put("updated_by", 0);
        n.put("created_at", c.updatedAt() - 86_400);
        n.put("updated_at", c.updatedAt());
        n.putNull("closest_task_at");
        n.put("is_deleted", false);
        if (c.noCustomFields()) {
            n.putNull("custom_fields_values");
        } else {
            ObjectNode phone = n.putArray("custom_fields_values").addObject();
            phone.put("field_id", 301_001).put("field_name", "Телефон").put("field_code", "PHONE").put("field_type", "multitext");
            phone.putArray("values").addObject().put("value", c.phone()).put("enum_id", 1).put("enum_code", "WORK");
        }
        n.put("account_id", ACCOUNT_ID);
        n.putObject("_links").putObject("self").put("href", baseUrl + "/contacts/" + c.id());
        return n;
    }

    static ResponseDefinition tooMany(int retryAfterSeconds) {
        ObjectNode body = NODES.objectNode().put("title", "Too Many Requests").put("type", "https://httpstatus.es/429")
                .put("status", 429).put("detail", "Too many requests").put("retry_after", retryAfterSeconds);
        return json(429, body, "application/problem+json");
    }

    static ResponseDefinition validation(String detail) {
        ObjectNode body = NODES.objectNode().put("title", "Bad Request").put("type", "https://httpstatus.es/400")
                .put("status", 400).put("detail", "Request validation failed");
        body.putArray("validation-errors").addObject().put("request_id", "0").putArray("errors").addObject()
                .put("code", "InvalidParameter").put("detail", detail);
        return json(400, body, "application/problem+json");
    }

    static ResponseDefinition oauthError(int status, String hint) {
        ObjectNode body = NODES.objectNode().put("hint", hint).put("title", "Некорректный запрос")
                .put("type", "https://developers.amocrm.ru/v3/errors/OAuthProblemJson").put("status", status)
                .put("detail", "В запросе отсутствует ряд параметров или параметры невалидны");
        return json(status, body, "application/problem+json");
    }

    static ResponseDefinition problem(int status, String title, String detail) {
        ObjectNode body = NODES.objectNode().put("title", title).put("type", "https://httpstatus.es/" + status)
                .put("status", status).put("detail", detail);
        return json(status, body, "application/problem+json");
    }
}
