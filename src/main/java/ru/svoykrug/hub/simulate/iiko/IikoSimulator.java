package ru.svoykrug.hub.simulate.iiko;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import ru.svoykrug.hub.simulate.kit.Countdown;
import ru.svoykrug.hub.simulate.kit.LoopbackSimulator;
import ru.svoykrug.hub.simulate.kit.Tally;
import ru.svoykrug.hub.simulate.iiko.IikoDataSet.Order;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static ru.svoykrug.hub.simulate.kit.Answers.JSON;
import static ru.svoykrug.hub.simulate.kit.Answers.NODES;
import static ru.svoykrug.hub.simulate.kit.Answers.json;
import static ru.svoykrug.hub.simulate.kit.Answers.jsonBuilder;
import static ru.svoykrug.hub.simulate.kit.Requests.isPost;
import static ru.svoykrug.hub.simulate.kit.Requests.path;
import static ru.svoykrug.hub.simulate.iiko.IikoBodies.LOCAL;
import static ru.svoykrug.hub.simulate.iiko.IikoBodies.error;
import static ru.svoykrug.hub.simulate.iiko.IikoBodies.errorBody;

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
public final class IikoSimulator extends LoopbackSimulator {

    public static final String API_LOGIN = "sim-api-login";

    private final List<IikoDataSet> organizations;
    private final IikoDataSet data;
    private volatile Duration tokenTtl = Duration.ofHours(1);
    private volatile Duration maxRevisionAge = Duration.ofHours(3);
    private volatile int ordersPerRevisionCall = 500;
    private final Map<String, Instant> tokens = new HashMap<>();
    private final Countdown timeouts = new Countdown();
    private final Countdown tokenBusy = new Countdown();
    private volatile String tokenBusyRetryAfter = "1";

    private enum Seen { REQUESTS, TOKENS, UNAUTHORIZED, REVISION_REFUSED, BY_DATE, ORDERS, TIMEOUTS }

    private final Tally<Seen> seen = new Tally<>(Seen.class);

    private IikoSimulator(List<IikoDataSet> organizations) {
        this.organizations = organizations;
        this.data = organizations.get(0);
        listen(KIND.system(), "/api/1/.*");
    }

    public static final Kind KIND = new Kind("iiko", IikoSimulator::start);

    /** One organization of the spec's orders over the six days before now, in the spec's zone. */
    public static IikoSimulator start(Spec spec) {
        return start(new IikoDataSet(spec.seed(), spec.records(), spec.zone()));
    }

    /** An apiLogin that sees these organizations (restaurants), each with its own orders and revisions. */
    public static IikoSimulator start(IikoDataSet first, IikoDataSet... more) {
        List<IikoDataSet> all = new ArrayList<>();
        all.add(first);
        all.addAll(List.of(more));
        return new IikoSimulator(List.copyOf(all));
    }

    @Override
    public String baseUrl() {
        return origin();
    }

    /** The first organization. */
    public IikoDataSet data() {
        return data;
    }

    public List<IikoDataSet> organizations() {
        return organizations;
    }

    /** The first organization's truth. */
    @Override
    public IikoTruth truth() {
        return data.truth();
    }

    @Override
    public String unit() {
        return "delivery orders over six days (first sync reads them by delivery date, in chunks)";
    }

    @Override
    public Map<String, String> benchSettings(Load load) {
        // one window chunk carries about a page of orders: the 6 days of orders, cut to page size
        long chunkMinutes = Math.max(1, 6L * 24 * 60 * load.pageSize() / Math.max(1, load.records()));
        return Map.of("baseUrl", baseUrl(), "organizationId", data.organizationId(), "requestsPerSecond", "0",
                "chunkMinutes", Long.toString(chunkMinutes));
    }

    @Override
    public Map<String, String> credentials() {
        return Map.of("apiLogin", API_LOGIN);
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
        return seen.get(Seen.REQUESTS);
    }

    public long tokensIssued() {
        return seen.get(Seen.TOKENS);
    }

    public long unauthorized() {
        return seen.get(Seen.UNAUTHORIZED);
    }

    public long revisionRefused() {
        return seen.get(Seen.REVISION_REFUSED);
    }

    public long byDateCalls() {
        return seen.get(Seen.BY_DATE);
    }

    public long ordersServed() {
        return seen.get(Seen.ORDERS);
    }

    public long timeoutsServed() {
        return seen.get(Seen.TIMEOUTS);
    }

    public void resetCounters() {
        seen.reset();
    }

    // ---- the API ----------------------------------------------------------------------------------------

    private synchronized String issueToken() {
        String token = UUID.randomUUID().toString();
        tokens.put(token, Instant.now().plus(tokenTtl));
        seen.count(Seen.TOKENS);
        return token;
    }

    private synchronized boolean tokenValid(String token) {
        Instant expires = tokens.get(token);
        return expires != null && Instant.now().isBefore(expires);
    }

    @Override
    protected ResponseDefinition answer(Request request) {
        seen.count(Seen.REQUESTS);
        String path = path(request);
        if (!isPost(request)) {
            return error(405, "Only POST is supported", "METHOD_NOT_ALLOWED");
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.getBodyAsString());
        } catch (RuntimeException e) {
            return error(400, "Body is not JSON", "BAD_REQUEST");
        }
        if (path.equals("/api/1/access_token")) {
            if (tokenBusy.take()) {
                return jsonBuilder(429, errorBody("Too many requests", "TOO_MANY_REQUESTS"), "application/json")
                        .withHeader("Retry-After", tokenBusyRetryAfter).build();
            }
            if (!API_LOGIN.equals(body.path("apiLogin").asString(""))) {
                return error(401, "Login " + body.path("apiLogin").asString("") + " is not authorized", "Unauthorized");
            }
            return json(200, NODES.objectNode().put("correlationId", UUID.randomUUID().toString()).put("token", issueToken()));
        }
        String auth = request.getHeader("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !tokenValid(auth.substring(7))) {
            seen.count(Seen.UNAUTHORIZED);
            return error(401, "Token is expired or invalid", "Unauthorized");
        }
        if (timeouts.take()) {
            seen.count(Seen.TIMEOUTS);
            return jsonBuilder(408, errorBody("Timeout expired", "TIMEOUT"), "application/json")
                    .withHeader("Timeout", "15").build();
        }
        if (path.equals("/api/1/organizations")) {
            return json(200, IikoBodies.organizationList(organizations));
        }
        List<IikoDataSet> asked = new ArrayList<>();
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

    /** One startRevision for all organizations asked, as iiko takes it; maxRevision the highest of theirs. */
    private ResponseDefinition byRevision(JsonNode body, List<IikoDataSet> asked) {
        if (!body.path("startRevision").canConvertToLong()) {
            return error(400, "startRevision is required", "BAD_REQUEST");
        }
        long start = body.path("startRevision").asLong();
        Map<IikoDataSet, List<Order>> answer = new LinkedHashMap<>();
        long max = 0;
        for (IikoDataSet data : asked) {
            Instant oldest = data.firstChangeAfter(start);
            if (oldest != null && oldest.isBefore(Instant.now().minus(maxRevisionAge))) {
                seen.count(Seen.REVISION_REFUSED);
                return error(400, "startRevision " + start + " is too old: revisions are kept for 3 hours", "BAD_REQUEST");
            }
            int limit = ordersPerRevisionCall;
            List<Order> orders = data.changedSince(start, limit);
            answer.put(data, orders);
            max = Math.max(max, orders.size() == limit ? orders.get(orders.size() - 1).revision() : data.currentRevision());
        }
        answer.values().forEach(orders -> seen.add(Seen.ORDERS, orders.size()));
        return json(200, IikoBodies.deliveries(answer, max));
    }

    private ResponseDefinition byDate(JsonNode body, List<IikoDataSet> asked) {
        seen.count(Seen.BY_DATE);
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
        Map<IikoDataSet, List<Order>> answer = new LinkedHashMap<>();
        long max = 0;
        for (IikoDataSet data : asked) {
            answer.put(data, data.createdBetween(from, to));
            max = Math.max(max, data.currentRevision());
        }
        answer.values().forEach(orders -> seen.add(Seen.ORDERS, orders.size()));
        return json(200, IikoBodies.deliveries(answer, max));
    }

}
