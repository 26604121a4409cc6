package ru.svoykrug.hub.simulate.iiko;

import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import ru.svoykrug.hub.simulate.iiko.IikoDataSet.Order;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static ru.svoykrug.hub.simulate.kit.Answers.NODES;
import static ru.svoykrug.hub.simulate.kit.Answers.json;

/** What iikoCloud writes: organizations, deliveries by organization, orders in terminal-local time, errors. */
final class IikoBodies {

    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private IikoBodies() {
    }

    static ObjectNode order(IikoDataSet data, Order o) {
        ObjectNode n = NODES.objectNode();
        n.put("id", o.id());
        n.putNull("posId");
        n.putNull("externalNumber");
        n.put("organizationId", data.organizationId());
        n.put("timestamp", o.changedAt().toEpochMilli());
        n.put("creationStatus", "Success");
        n.putNull("errorInfo");
        ObjectNode order = n.putObject("order");
        if (o.customerId() == null) {
            order.putNull("customer");
        } else {
            order.putObject("customer").put("id", o.customerId()).put("name", "Гость").put("type", "regular");
        }
        if (o.phone() == null) order.putNull("phone"); else order.put("phone", o.phone());
        order.put("status", o.status());
        order.put("whenCreated", local(data, o.created()));
        if (o.closed() == null) order.putNull("whenClosed"); else order.put("whenClosed", local(data, o.closed()));
        BigDecimal sum = BigDecimal.valueOf(o.kopecks(), 2);
        order.put("sum", sum);
        order.put("number", o.number());
        ArrayNode payments = order.putArray("payments");
        if (o.completed()) {
            ObjectNode payment = payments.addObject();
            payment.putObject("paymentType").put("id", "09322f46-578a-d210-add7-eec222a08871").put("name", "Наличные").put("kind", "Cash");
            payment.put("sum", sum);
            payment.put("isPreliminary", false);
        }
        return n;
    }

    private static String local(IikoDataSet data, Instant instant) {
        return LOCAL.format(instant.atZone(data.zone()));
    }

    static ResponseDefinition error(int status, String description, String error) {
        return json(status, errorBody(description, error));
    }

    static ObjectNode errorBody(String description, String error) {
        return NODES.objectNode().put("correlationId", UUID.randomUUID().toString())
                .put("errorDescription", description).put("error", error);
    }

    static ObjectNode organizationList(List<IikoDataSet> organizations) {
        ObjectNode root = NODES.objectNode();
        root.put("correlationId", UUID.randomUUID().toString());
        ArrayNode list = root.putArray("organizations");
        int n = 0;
        for (IikoDataSet o : organizations) {
            list.addObject().put("responseType", "Simple").put("id", o.organizationId()).put("name", "Ресторан " + ++n)
                    .putNull("code");
        }
        return root;
    }

    static ObjectNode deliveries(Map<IikoDataSet, List<Order>> byOrganization, long maxRevision) {
        ObjectNode root = NODES.objectNode();
        root.put("correlationId", UUID.randomUUID().toString());
        root.put("maxRevision", maxRevision);
        ArrayNode organizationList = root.putArray("ordersByOrganizations");
        byOrganization.forEach((data, orders) -> {
            ObjectNode organization = organizationList.addObject();
            organization.put("organizationId", data.organizationId());
            ArrayNode list = organization.putArray("orders");
            for (Order o : orders) {
                list.add(order(data, o));
            }
        });
        return root;
    }
}
