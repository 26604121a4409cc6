package ru.svoykrug.hub.simulate.iiko;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import ru.svoykrug.hub.simulate.LoopbackWireMock;
import ru.svoykrug.hub.simulate.iiko.IikoDataSet.Order;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * An iikoCloud organization over real HTTP (WireMock), behaving as CONTRACTS.md says the real API does:
 * every call a POST with JSON; {@code /api/1/access_token} gives a token that expires (1 hour unless set
 * otherwise) and is never refreshed; {@code deliveries/by_revision} answers the orders changed since a
 * revision with {@code maxRevision}, and 400 when the oldest change it would have to return is more than
 * 3 hours old; {@code deliveries/by_delivery_date_and_status} answers the orders created in a window of
 * terminal-local dates, at most 7 days back. Dates are {@code yyyy-MM-dd HH:mm:ss.fff} in the terminal's zone.
 *
 * <p>One by_revision answer carries at most {@link #ordersPerRevisionCall(int)} orders, its
 * {@code maxRevision} being that of the last one [guess: iiko documents no limit, a simulator without one
 * would hide a hub that cannot resume]. On demand it expires tokens and answers 408.
 */
public final class IikoSimulator implements AutoCloseable {

    public static final String API_LOGIN = "sim-api-login";
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final List<IikoDataSet> organizations;
    private final IikoDataSet data;
    private final WireMockServer server;
    private volatile Duration tokenTtl = Duration.ofHours(1);
    private volatile Duration maxRevisionAge = Duration.ofHours(3);
    private volatile int ordersPerRevisionCall = 500;
    private final Map<String, Instant> tokens = new HashMap<>();
    private final AtomicInteger timeouts = new AtomicInteger();
    private final AtomicInteger tokenBusy = new AtomicInteger();
    private volatile String tokenBusyRetryAfter = "1";
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong tokensIssued = new AtomicLong();
    private final AtomicLong unauthorized = new AtomicLong();
    private final AtomicLong revisionRefused = new AtomicLong();
    private final AtomicLong byDateCalls = new AtomicLong();
    private final AtomicLong ordersServed = new AtomicLong();
    private final AtomicLong timeoutsServed = new AtomicLong();

    private IikoSimulator(List<IikoDataSet> organizations) {
        this.organizations = organizations;
        this.data = organizations.get(0);
        this.server = LoopbackWireMock.start("iiko-api", new Api()::answer, "/api/1/.*");
    }

    /** An apiLogin that sees these organizations (restaurants), each with its own orders and revisions. */
    public static IikoSimulator start(IikoDataSet first, IikoDataSet... more) {
        List<IikoDataSet> all = new java.util.ArrayList<>();
        all.add(first);
        all.addAll(List.of(more));
        return new IikoSimulator(List.copyOf(all));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The first organization. */
    public IikoDataSet data() {
        return data;
    }

    public List<IikoDataSet> organizations() {
        return organizations;
    }

    // ---- misbehaviour on demand ------------------------------------------------------------------------

    public void tokenTtl(Duration ttl) {
        this.tokenTtl = ttl;
    }

    public synchronized void expireTokens() {
        tokens.replaceAll((t, at) -> Instant.EPOCH);
    }

    public void ordersPerRevisionCall(int limit) {
        this.ordersPerRevisionCall = limit;
    }

    /** The next {@code count} token requests answer 429 with this {@code Retry-After} (a busy iiko). */
    public void tokenBusy(int count, String retryAfter) {
        tokenBusyRetryAfter = retryAfter;
        tokenBusy.set(count);
    }

    /** The next {@code count} delivery calls answer 408, as iiko does when its own 15 s timeout runs out. */
    public void timeout408(int count) {
        timeouts.set(count);
    }

    // ---- what it saw ----------------------------------------------------------------------------------

    public long requests() {
        return requests.get();
    }

    public long tokensIssued() {
        return tokensIssued.get();
    }

    public long unauthorized() {
        return unauthorized.get();
    }

    public long revisionRefused() {
        return revisionRefused.get();
    }

    public long byDateCalls() {
        return byDateCalls.get();
    }

    public long ordersServed() {
        return ordersServed.get();
    }

    public long timeoutsServed() {
        return timeoutsServed.get();
    }

    public void resetCounters() {
        requests.set(0);
        tokensIssued.set(0);
        unauthorized.set(0);
        revisionRefused.set(0);
        byDateCalls.set(0);
        ordersServed.set(0);
        timeoutsServed.set(0);
    }

    @Override
    public void close() {
        server.stop();
    }

    // ---- the API ----------------------------------------------------------------------------------------

    private synchronized String issueToken() {
        String token = UUID.randomUUID().toString();
        tokens.put(token, Instant.now().plus(tokenTtl));
        tokensIssued.incrementAndGet();
        return token;
    }

    private synchronized boolean tokenValid(String token) {
        Instant expires = tokens.get(token);
        return expires != null && Instant.now().isBefore(expires);
    }

    /** The vendor API: one answer per request. */
    private final class Api {

        ResponseDefinition answer(Request request) {
            requests.incrementAndGet();
            String path = request.getUrl().split("\\?", 2)[0];
            if (!request.getMethod().getName().equals("POST")) {
                return error(405, "Only POST is supported", "METHOD_NOT_ALLOWED");
            }
            JsonNode body;
            try {
                body = JSON.readTree(request.getBodyAsString());
            } catch (RuntimeException e) {
                return error(400, "Body is not JSON", "BAD_REQUEST");
            }
            if (path.equals("/api/1/access_token")) {
                if (tokenBusy.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    return aResponse().withStatus(429).withHeader("Retry-After", tokenBusyRetryAfter)
                            .withHeader("Content-Type", "application/json")
                            .withBody(JSON.writeValueAsString(errorBody("Too many requests", "TOO_MANY_REQUESTS"))).build();
                }
                if (!API_LOGIN.equals(body.path("apiLogin").asString(""))) {
                    return error(401, "Login " + body.path("apiLogin").asString("") + " is not authorized", "Unauthorized");
                }
                return json(200, NODES.objectNode().put("correlationId", UUID.randomUUID().toString()).put("token", issueToken()));
            }
            String auth = request.getHeader("Authorization");
            if (auth == null || !auth.startsWith("Bearer ") || !tokenValid(auth.substring(7))) {
                unauthorized.incrementAndGet();
                return error(401, "Token is expired or invalid", "Unauthorized");
            }
            if (timeouts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                timeoutsServed.incrementAndGet();
                return aResponse().withStatus(408).withHeader("Timeout", "15").withHeader("Content-Type", "application/json")
                        .withBody(JSON.writeValueAsString(errorBody("Timeout expired", "TIMEOUT"))).build();
            }
            if (path.equals("/api/1/organizations")) {
                return organizationList();
            }
            List<IikoDataSet> asked = new java.util.ArrayList<>();
            for (JsonNode id : body.path("organizationIds")) {
                IikoDataSet o = organizations.stream().filter(d -> d.organizationId().equals(id.asString(""))).findFirst().orElse(null);
                if (o == null) {
                    return error(400, "organizationIds must name organizations of this apiLogin", "BAD_REQUEST");
                }
                asked.add(o);
            }
            if (asked.isEmpty()) {
                return error(400, "organizationIds must name organizations of this apiLogin", "BAD_REQUEST");
            }
            return switch (path) {
                case "/api/1/deliveries/by_revision" -> byRevision(body, asked);
                case "/api/1/deliveries/by_delivery_date_and_status" -> byDate(body, asked);
                default -> error(404, "Not found", "NOT_FOUND");
            };
        }

        private ResponseDefinition organizationList() {
            ObjectNode root = NODES.objectNode();
            root.put("correlationId", UUID.randomUUID().toString());
            ArrayNode list = root.putArray("organizations");
            int n = 0;
            for (IikoDataSet o : organizations) {
                list.addObject().put("responseType", "Simple").put("id", o.organizationId()).put("name", "Ресторан " + ++n)
                        .putNull("code");
            }
            return json(200, root);
        }

        /** One startRevision for all organizations asked, as iiko takes it; maxRevision the highest of theirs. */
        private ResponseDefinition byRevision(JsonNode body, List<IikoDataSet> asked) {
            if (!body.path("startRevision").canConvertToLong()) {
                return error(400, "startRevision is required", "BAD_REQUEST");
            }
            long start = body.path("startRevision").asLong();
            Map<IikoDataSet, List<Order>> answer = new java.util.LinkedHashMap<>();
            long max = 0;
            for (IikoDataSet data : asked) {
                Instant oldest = data.firstChangeAfter(start);
                if (oldest != null && oldest.isBefore(Instant.now().minus(maxRevisionAge))) {
                    revisionRefused.incrementAndGet();
                    return error(400, "startRevision " + start + " is too old: revisions are kept for 3 hours", "BAD_REQUEST");
                }
                int limit = ordersPerRevisionCall;
                List<Order> orders = data.changedSince(start, limit);
                answer.put(data, orders);
                max = Math.max(max, orders.size() == limit ? orders.get(orders.size() - 1).revision() : data.currentRevision());
            }
            return deliveries(answer, max);
        }

        private ResponseDefinition byDate(JsonNode body, List<IikoDataSet> asked) {
            byDateCalls.incrementAndGet();
            Instant from, to;
            try {
                from = LocalDateTime.parse(body.path("deliveryDateFrom").asString(""), LOCAL).atZone(data.zone()).toInstant();
                to = body.path("deliveryDateTo").isString()
                        ? LocalDateTime.parse(body.path("deliveryDateTo").asString(), LOCAL).atZone(data.zone()).toInstant()
                        : Instant.now();
            } catch (DateTimeParseException e) {
                return error(400, "deliveryDateFrom and deliveryDateTo must look like 2024-03-01 00:00:00.000", "BAD_REQUEST");
            }
            if (from.isBefore(Instant.now().minus(Duration.ofDays(7)))) {
                return error(400, "deliveryDateFrom may be at most 7 days ago", "BAD_REQUEST");
            }
            Map<IikoDataSet, List<Order>> answer = new java.util.LinkedHashMap<>();
            long max = 0;
            for (IikoDataSet data : asked) {
                answer.put(data, data.createdBetween(from, to));
                max = Math.max(max, data.currentRevision());
            }
            return deliveries(answer, max);
        }

        private ResponseDefinition deliveries(Map<IikoDataSet, List<Order>> byOrganization, long maxRevision) {
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
                ordersServed.addAndGet(orders.size());
            });
            return json(200, root);
        }

        private ObjectNode order(IikoDataSet data, Order o) {
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

        private String local(IikoDataSet data, Instant instant) {
            return LOCAL.format(instant.atZone(data.zone()));
        }

        private ResponseDefinition error(int status, String description, String error) {
            return json(status, errorBody(description, error));
        }

        private ObjectNode errorBody(String description, String error) {
            return NODES.objectNode().put("correlationId", UUID.randomUUID().toString())
                    .put("errorDescription", description).put("error", error);
        }

        private ResponseDefinition json(int status, JsonNode body) {
            return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(JSON.writeValueAsString(body)).build();
        }
    }
}
