package ru.svoykrug.hub.simulate.bitrix24;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import ru.svoykrug.hub.simulate.kit.Countdown;
import ru.svoykrug.hub.simulate.kit.LoopbackSimulator;
import ru.svoykrug.hub.simulate.kit.Requests.BadRequest;
import ru.svoykrug.hub.simulate.kit.SlidingSecond;
import ru.svoykrug.hub.simulate.kit.Tally;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static ru.svoykrug.hub.simulate.bitrix24.Bitrix24Bodies.error;
import static ru.svoykrug.hub.simulate.kit.Answers.json;
import static ru.svoykrug.hub.simulate.kit.Requests.param;
import static ru.svoykrug.hub.simulate.kit.Requests.path;

/**
 * A Bitrix24 portal's CRM over real HTTP (WireMock), as its REST documentation describes it (see the
 * README beside this class): an inbound webhook {@code /rest/<user_id>/<webhook_code>/<method>} (or an
 * OAuth token in {@code auth}), {@code crm.contact.list} and {@code crm.deal.list} by GET or POST (query,
 * form or JSON), pages of 50 by {@code start} with {@code next} and {@code total}, filters, order and select.
 *
 * <p>Its request limit is the vendor's leaky bucket (50, draining 2 a second: 503
 * {@code QUERY_LIMIT_EXCEEDED}). On demand it rejects the webhook (401 {@code INVALID_CREDENTIALS}), expires
 * the OAuth token (401 {@code expired_token}), answers 500s, and (through its data set) serves malformed
 * deals and changes between two syncs. It counts what it saw.
 */
public final class Bitrix24Simulator extends LoopbackSimulator {

    public static final String USER_ID = "1";
    public static final String WEBHOOK_CODE = "sim-webhook-code";
    /** An application's access token, for a hub that connects as an OAuth application instead. */
    public static final String ACCESS_TOKEN = "sim-bitrix24-access-token";
    public static final Kind KIND = new Kind("bitrix24", Bitrix24Simulator::start);

    private static final Pattern WEBHOOK = Pattern.compile("/rest/([^/]+)/([^/]+)/([a-z0-9_.]+?)(\\.json)?");
    private static final Pattern OAUTH = Pattern.compile("/rest/([a-z0-9_.]+?)(\\.json)?");

    private enum Seen { REQUESTS, ITEMS, TOO_MANY, UNAUTHORIZED }

    private final Bitrix24DataSet data;
    private final Bitrix24Listing listing;
    private final LeakyBucket bucket = new LeakyBucket(50, 2);
    private final SlidingSecond window = new SlidingSecond();
    private final Tally<Seen> seen = new Tally<>(Seen.class);
    private final Countdown failures5xx = new Countdown();
    private volatile String acceptedWebhook = USER_ID + "/" + WEBHOOK_CODE;
    private volatile boolean tokenExpired;

    private Bitrix24Simulator(Bitrix24DataSet data) {
        this.data = data;
        this.listing = new Bitrix24Listing(data.zone());
        listen(KIND.system(), "/rest/.*");
    }

    public static Bitrix24Simulator start(Bitrix24DataSet data) {
        return new Bitrix24Simulator(data);
    }

    /** A portal whose year of deals ends at the spec's end (by default now). */
    public static Bitrix24Simulator start(Spec spec) {
        return start(new Bitrix24DataSet(spec.seed(), spec.records(), spec.malformedEvery(), spec.zone(),
                spec.historyEnd() == null ? Instant.now() : spec.historyEnd()));
    }

    /** The portal ({@code https://<portal>.bitrix24.ru}); the webhook's user and code are credentials. */
    @Override
    public String baseUrl() {
        return origin();
    }

    public Bitrix24DataSet data() {
        return data;
    }

    @Override
    public Bitrix24Truth truth() {
        return data.truth();
    }

    @Override
    public String unit() {
        return "deals (plus a contact per two)";
    }

    @Override
    public Map<String, String> benchSettings(Load load) {
        return Map.of("baseUrl", baseUrl(), "requestsPerSecond", "0");
    }

    @Override
    public Map<String, String> credentials() {
        return Map.of("userId", USER_ID, "webhookCode", WEBHOOK_CODE);
    }

    @Override
    public void liftRateLimit() {
        limit(0, 0);
    }

    // ---- misbehaviour on demand ------------------------------------------------------------------------

    /** The leaky bucket: refused above {@code capacity}, draining {@code perSecond} (Enterprise: 250 and 5); 0 lifts it. */
    public void limit(int capacity, double perSecond) {
        bucket.set(capacity, perSecond);
    }

    /** From now on only this webhook is active (the partner deleted the hub's, or made a new one). */
    public void acceptWebhook(String userId, String code) {
        acceptedWebhook = userId + "/" + code;
    }

    /** The OAuth access token has expired (a webhook never does). */
    public void expireAccessToken(boolean expired) {
        tokenExpired = expired;
    }

    /** The next {@code count} calls answer 500 {@code INTERNAL_SERVER_ERROR}. */
    public void fail5xx(int count) {
        failures5xx.set(count);
    }

    // ---- what it saw ----------------------------------------------------------------------------------

    public synchronized int maxRequestsInAnySecond() {
        return window.most();
    }

    public long requests() {
        return seen.get(Seen.REQUESTS);
    }

    /** Contacts and deals served, once per time they were sent. */
    public long itemsServed() {
        return seen.get(Seen.ITEMS);
    }

    /** Answers 503 {@code QUERY_LIMIT_EXCEEDED}. */
    public long tooManyRequests() {
        return seen.get(Seen.TOO_MANY);
    }

    public long unauthorized() {
        return seen.get(Seen.UNAUTHORIZED);
    }

    public synchronized void resetCounters() {
        window.reset();
        seen.reset();
    }

    // ---- the API ----------------------------------------------------------------------------------------

    @Override
    protected ResponseDefinition answer(Request request) {
        seen.count(Seen.REQUESTS);
        window.arrive();
        if (!bucket.admit()) {
            seen.count(Seen.TOO_MANY);
            return error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests");
        }
        if (failures5xx.take()) {
            return error(500, "INTERNAL_SERVER_ERROR", "Internal server error");
        }
        String method;
        Matcher hook = WEBHOOK.matcher(path(request));
        Matcher app = OAUTH.matcher(path(request));
        if (hook.matches()) {
            if (!acceptedWebhook.equals(hook.group(1) + "/" + hook.group(2))) {
                return unauthorized("INVALID_CREDENTIALS", "Invalid request credentials");
            }
            method = hook.group(3);
        } else if (app.matches()) {
            String token = param(request, "auth");
            if (token == null) {
                return unauthorized("NO_AUTH_FOUND", "Wrong authorization data");
            }
            if (!token.equals(ACCESS_TOKEN)) {
                return unauthorized("invalid_token", "The access token provided is invalid");
            }
            if (tokenExpired) {
                return unauthorized("expired_token", "The access token provided has expired");
            }
            method = app.group(1);
        } else {
            return error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
        }
        try {
            return switch (method) {
                case "crm.contact.list" -> list(data.contacts().stream().map(c -> Bitrix24Bodies.contact(c, data.zone())).toList(), request);
                case "crm.deal.list" -> list(data.deals().stream().map(d -> Bitrix24Bodies.deal(d, data.zone())).toList(), request);
                default -> error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
            };
        } catch (BadRequest e) {
            return error(400, "", e.getMessage());
        }
    }

    private ResponseDefinition list(List<ObjectNode> records, Request request) {
        ObjectNode page = listing.page(records, Bitrix24Query.of(request));
        seen.add(Seen.ITEMS, page.path("result").size());
        Instant now = Instant.now();
        page.putObject("time").put("start", now.toEpochMilli() / 1000.0).put("finish", now.toEpochMilli() / 1000.0)
                .put("duration", 0.0).put("processing", 0.0).put("date_start", Bitrix24Bodies.date(now, data.zone()))
                .put("date_finish", Bitrix24Bodies.date(now, data.zone())).put("operating", 0);
        return json(200, page);
    }

    private ResponseDefinition unauthorized(String code, String description) {
        seen.count(Seen.UNAUTHORIZED);
        return error(401, code, description);
    }
}
