package ru.svoykrug.hub.simulate.yclients;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import ru.svoykrug.hub.simulate.kit.Countdown;
import ru.svoykrug.hub.simulate.kit.LoopbackSimulator;
import ru.svoykrug.hub.simulate.kit.Requests.BadRequest;
import ru.svoykrug.hub.simulate.kit.SlidingSecond;
import ru.svoykrug.hub.simulate.kit.SlidingWindow;
import ru.svoykrug.hub.simulate.kit.Tally;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static ru.svoykrug.hub.simulate.kit.Answers.JSON;
import static ru.svoykrug.hub.simulate.kit.Answers.NODES;
import static ru.svoykrug.hub.simulate.kit.Answers.json;
import static ru.svoykrug.hub.simulate.kit.Answers.late;
import static ru.svoykrug.hub.simulate.kit.Requests.isPost;
import static ru.svoykrug.hub.simulate.kit.Requests.path;
import static ru.svoykrug.hub.simulate.yclients.YclientsBodies.envelope;
import static ru.svoykrug.hub.simulate.yclients.YclientsBodies.error;
import static ru.svoykrug.hub.simulate.yclients.YclientsBodies.user;

/**
 * A YCLIENTS company over real HTTP (WireMock), behaving as CONTRACTS.md says the real API does:
 * partner + user token auth, {@code page}/{@code count} paging, {@code changed_after}, {@code with_deleted},
 * {@code meta.total_count} on records but an empty {@code meta: []} on transactions, three date shapes
 * in one object ({@link YclientsBodies}), amounts as strings, {@code client: null}, and 429 above five
 * calls in any second or 200 in any minute (the vendor's "200 a minute or 5 a second per IP").
 *
 * <p>It can also misbehave on demand: a storm of 429s with a Retry-After, 5xx answers, rejected tokens.
 * It counts what it saw, so a test can prove the hub never went over the limit.
 */
public final class YclientsSimulator extends LoopbackSimulator {

    public static final String PARTNER_TOKEN = "sim-partner-token";
    public static final String USER_TOKEN = "sim-user-token";
    /** The user whose login and password {@code POST /auth} exchanges for the user token. */
    public static final String LOGIN = "admin@mindal.example";
    public static final String PASSWORD = "sim-password";
    /** The company the demo and the benchmark simulate (the demo's partners.yml names it). */
    public static final int COMPANY_ID = 4564;

    private static final Pattern PATH = Pattern.compile("/api/v1/(records|transactions|clients)/(\\d+)");

    private enum Seen { REQUESTS, ITEMS, TOO_MANY }

    private final YclientsDataSet data;
    private final int companyId;
    private final YclientsListing listing;

    private volatile int requestsPerSecond = 5;
    private volatile int requestsPerMinute = 200;
    private volatile String acceptedUserToken = USER_TOKEN;
    private final Countdown storm429 = new Countdown();
    private volatile int stormRetryAfterSeconds;
    private final Countdown failures5xx = new Countdown();
    private final SlidingSecond window = new SlidingSecond();
    private final SlidingWindow minute = new SlidingWindow(Duration.ofMinutes(1));
    private final Tally<Seen> seen = new Tally<>(Seen.class);
    private final AtomicLong logins = new AtomicLong();
    private volatile long stallMillis;

    private YclientsSimulator(YclientsDataSet data, int companyId) {
        this.data = data;
        this.companyId = companyId;
        this.listing = new YclientsListing(data, new YclientsBodies(data, companyId));
        listen(KIND.system(), "/api/v1/.*");
    }

    public static final Kind KIND = new Kind("yclients", YclientsSimulator::start);

    /** Company {@link #COMPANY_ID}, its year of history ending at the spec's end (by default at the end of 2025). */
    public static YclientsSimulator start(Spec spec) {
        return start(new YclientsDataSet(spec.seed(), spec.records(), spec.malformedEvery(), spec.zone(),
                spec.historyEnd() == null ? YclientsDataSet.DEFAULT_HISTORY_END : spec.historyEnd()), COMPANY_ID);
    }

    /** Starts on a free port of the loopback interface. */
    public static YclientsSimulator start(YclientsDataSet data, int companyId) {
        return new YclientsSimulator(data, companyId);
    }

    @Override
    public String baseUrl() {
        return origin() + "/api/v1";
    }

    public int companyId() {
        return companyId;
    }

    public YclientsDataSet data() {
        return data;
    }

    @Override
    public YclientsTruth truth() {
        return data.truth();
    }

    @Override
    public String unit() {
        return "appointments (plus a client per five, a transaction per two)";
    }

    @Override
    public Map<String, String> benchSettings(Load load) {
        return Map.of("baseUrl", baseUrl(), "companyId", Integer.toString(companyId), "requestsPerSecond", "0",
                "pageSize", Integer.toString(load.pageSize()));
    }

    @Override
    public Map<String, String> credentials() {
        return Map.of("partnerToken", PARTNER_TOKEN, "userToken", USER_TOKEN);
    }

    @Override
    public void liftRateLimit() {
        requestsPerSecond(0);
        requestsPerMinute(0);
    }

    // ---- misbehaviour on demand ------------------------------------------------------------------------

    /** The vendor's burst limit; 0 lifts it (the benchmark does, and says so). */
    public void requestsPerSecond(int limit) {
        this.requestsPerSecond = limit;
    }

    /** The vendor's per-minute limit; 0 lifts it. */
    public void requestsPerMinute(int limit) {
        this.requestsPerMinute = limit;
    }

    /** The next {@code count} calls answer 429, with {@code Retry-After} when {@code retryAfterSeconds > 0}. */
    public void storm429(int count, int retryAfterSeconds) {
        this.stormRetryAfterSeconds = retryAfterSeconds;
        storm429.set(count);
    }

    /** The next {@code count} calls answer a 5xx. */
    public void fail5xx(int count) {
        failures5xx.set(count);
    }

    /** Every answer from now on comes this late (a vendor that hangs); zero for prompt answers again. */
    public void stall(Duration delay) {
        this.stallMillis = delay.toMillis();
    }

    /** From now on only this user token is accepted (the partner re-issued it, or revoked the hub's). */
    public void acceptUserToken(String token) {
        this.acceptedUserToken = token;
    }

    // ---- what it saw ----------------------------------------------------------------------------------

    /** The most calls that arrived within any one second, 429s included. */
    public synchronized int maxRequestsInAnySecond() {
        return window.most();
    }

    /** The most calls that arrived within any one minute, 429s included. */
    public synchronized int maxRequestsInAnyMinute() {
        return minute.most();
    }

    public long requests() {
        return seen.get(Seen.REQUESTS);
    }

    public long tooManyRequests() {
        return seen.get(Seen.TOO_MANY);
    }

    /** Successful {@code POST /auth} calls: user tokens handed out for a login and password. */
    public long logins() {
        return logins.get();
    }

    /** Records, clients and transactions served so far, counted once per time they were sent. */
    public long itemsServed() {
        return seen.get(Seen.ITEMS);
    }

    /** Forgets the calls and items seen so far (logins are kept). */
    public synchronized void resetCounters() {
        window.reset();
        minute.reset();
        seen.reset();
    }

    // ---- the API ----------------------------------------------------------------------------------------

    @Override
    protected ResponseDefinition answer(Request request) {
        return late(answerNow(request), stallMillis);
    }

    private ResponseDefinition answerNow(Request request) {
        seen.count(Seen.REQUESTS);
        int inWindow = window.arrive();
        int inMinute = minute.arrive();
        if (storm429.take()) {
            seen.count(Seen.TOO_MANY);
            return error(429, "Too many requests", stormRetryAfterSeconds);
        }
        int limit = requestsPerSecond;
        int perMinute = requestsPerMinute;
        if (limit > 0 && inWindow > limit || perMinute > 0 && inMinute > perMinute) {
            seen.count(Seen.TOO_MANY);
            return error(429, "Too many requests", 0);
        }
        if (failures5xx.take()) {
            return new ResponseDefinition(502, "<html><body>502 Bad Gateway</body></html>");
        }
        String path = path(request);
        String auth = request.getHeader("Authorization");
        if (path.equals("/api/v1/auth")) {
            return login(request, auth);
        }
        if (auth == null || !auth.startsWith("Bearer " + PARTNER_TOKEN)) {
            ObjectNode body = NODES.objectNode();
            body.putObject("errors").put("code", 401).put("message", "Partner authorization failed");
            body.putObject("meta");
            return json(401, body);
        }
        if (!auth.endsWith("User " + acceptedUserToken)) {
            return error(401, "Необходима авторизация пользователя", 0);
        }
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return error(404, "Not found", 0);
        }
        if (Integer.parseInt(m.group(2)) != companyId) {
            return error(403, "Нет доступа к филиалу", 0);
        }
        try {
            ObjectNode page = listing.page(m.group(1), request);
            seen.add(Seen.ITEMS, page.path("data").size());
            return json(200, page);
        } catch (BadRequest e) {
            return error(400, e.getMessage(), 0);
        }
    }

    /** {@code POST /auth}: the partner token in the header, the user's login and password in a JSON body. */
    private ResponseDefinition login(Request request, String auth) {
        if (!isPost(request)) {
            return error(405, "Method not allowed", 0);
        }
        if (auth == null || !auth.startsWith("Bearer " + PARTNER_TOKEN)) {
            return error(401, "Partner authorization failed", 0);
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.getBodyAsString());
        } catch (RuntimeException e) {
            return error(400, "Body is not JSON", 0);
        }
        if (!LOGIN.equals(body.path("login").asString("")) || !PASSWORD.equals(body.path("password").asString(""))) {
            return error(401, "Неверный логин или пароль", 0);
        }
        logins.incrementAndGet();
        return json(201, envelope(user(acceptedUserToken), NODES.objectNode()));
    }

    /**
     * YCLIENTS' webhook for a changed record, as the vendor sends it: JSON naming the company, the resource,
     * its id and what happened (with the record's data, which the hub ignores). Returns the hub's status.
     */
    public int notifyRecordChanged(String webhookUrl, int recordId) {
        return ru.svoykrug.hub.simulate.kit.WebhookSender.post(webhookUrl, "application/json",
                "{\"company_id\":" + companyId() + ",\"resource\":\"record\",\"resource_id\":" + recordId
                        + ",\"status\":\"update\",\"data\":{\"id\":" + recordId + "}}");
    }
}
