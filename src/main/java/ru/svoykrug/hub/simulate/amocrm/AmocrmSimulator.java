package ru.svoykrug.hub.simulate.amocrm;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import ru.svoykrug.hub.simulate.LoopbackWireMock;
import ru.svoykrug.hub.simulate.SlidingSecond;
import ru.svoykrug.hub.simulate.amocrm.AmocrmDataSet.Contact;
import ru.svoykrug.hub.simulate.amocrm.AmocrmDataSet.Lead;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * An amoCRM account over real HTTP (WireMock), behaving as CONTRACTS.md says the real API does: HAL
 * pages of at most 250 with {@code _links.next}, 204 with an empty body past the end or when nothing
 * matches, {@code filter[updated_at][from]} in Unix seconds, {@code with=only_deleted}, and OAuth 2.0
 * whose refresh token rotates on every refresh: the old one stays good until its successor pair is
 * used (the vendor's grace for answers lost in transit), and is revoked after.
 *
 * <p>Over 7 calls in any second it answers 429 with {@code retry_after}; a client that calls again
 * before that time is up gets a strike, and after {@link #strikesBeforeBlock(int)} strikes every call
 * answers 403 (a blocked IP) [guess: amoCRM does not publish how many]. On demand it expires access
 * tokens, storms 429s, and revokes the integration. It counts what it saw.
 */
public final class AmocrmSimulator implements AutoCloseable {

    public static final String CLIENT_ID = "sim-client-id";
    public static final String CLIENT_SECRET = "sim-client-secret";
    public static final String REDIRECT_URI = "https://hub.svoykrug.example/amocrm/oauth";
    public static final String LONG_LIVED_TOKEN = "sim-long-lived-token";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int ACCOUNT_ID = 31_337_001;

    private final AmocrmDataSet data;
    private final WireMockServer server;

    private volatile int requestsPerSecond = 7;
    private volatile int retryAfterSeconds = 1;
    private volatile int strikesBeforeBlock = 3;
    private volatile Duration accessTokenTtl = Duration.ofDays(1);
    private final AtomicInteger storm429 = new AtomicInteger();
    private final AtomicInteger expireAfterRequests = new AtomicInteger(-1);

    private final Map<String, Long> accessExpiresAtNanos = new HashMap<>();
    private final Map<String, RefreshToken> refreshTokens = new HashMap<>();
    private final Map<String, Long> authorizationCodes = new HashMap<>();
    private final Map<String, String> predecessorOf = new HashMap<>();
    private long penaltyUntilNanos;
    private int strikes;
    private boolean blocked;

    private final SlidingSecond window = new SlidingSecond();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong itemsServed = new AtomicLong();
    private final AtomicLong tooManyRequests = new AtomicLong();
    private final AtomicLong forbidden = new AtomicLong();
    private final AtomicLong noContent = new AtomicLong();
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong unauthorized = new AtomicLong();

    private static final class RefreshToken {
        boolean alive = true;
        String successorAccess;
        String successorRefresh;
    }

    private AmocrmSimulator(AmocrmDataSet data) {
        this.data = data;
        this.server = LoopbackWireMock.start("amocrm-api", new Api()::answer, "/(api/v4|oauth2)/.*");
    }

    public static AmocrmSimulator start(AmocrmDataSet data) {
        return new AmocrmSimulator(data);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/api/v4";
    }

    public AmocrmDataSet data() {
        return data;
    }

    // ---- the integration's tokens ---------------------------------------------------------------------

    public record TokenPair(String accessToken, String refreshToken, long expiresIn) {
    }

    /** The pair amoCRM gives when the partner authorises the hub's integration. */
    public synchronized TokenPair authorise() {
        return issue();
    }

    /**
     * The authorization code the partner copies from the integration's settings (or that reaches the
     * redirect URI): exchanged once, within 20 minutes, for the first token pair
     * ({@code grant_type=authorization_code}).
     */
    public synchronized String authorizationCode() {
        String code = "def50200" + UUID.randomUUID().toString().replace("-", "");
        authorizationCodes.put(code, System.nanoTime() + Duration.ofMinutes(20).toNanos());
        return code;
    }

    private TokenPair issue() {
        String access = "access-" + UUID.randomUUID();
        String refresh = "refresh-" + UUID.randomUUID();
        accessExpiresAtNanos.put(access, System.nanoTime() + accessTokenTtl.toNanos());
        refreshTokens.put(refresh, new RefreshToken());
        return new TokenPair(access, refresh, accessTokenTtl.toSeconds());
    }

    /** How long a new access token lives (amoCRM: 24 hours). */
    public void accessTokenTtl(Duration ttl) {
        this.accessTokenTtl = ttl;
    }

    /** Every access token issued so far stops working now. */
    public synchronized void expireAccessTokens() {
        accessExpiresAtNanos.replaceAll((token, at) -> System.nanoTime() - 1);
    }

    /** After {@code n} more API calls, every access token issued so far expires. */
    public void expireAccessTokensAfterRequests(int n) {
        expireAfterRequests.set(n);
    }

    /** The partner revoked the integration: no refresh token works any more. */
    public synchronized void revokeIntegration() {
        refreshTokens.values().forEach(r -> r.alive = false);
        expireAccessTokens();
    }

    // ---- misbehaviour on demand ------------------------------------------------------------------------

    /** The vendor's burst limit; 0 lifts it (the benchmark does, and says so). */
    public void requestsPerSecond(int limit) {
        this.requestsPerSecond = limit;
    }

    /** The {@code retry_after} a 429 carries (amoCRM sends minutes; tests use seconds). */
    public void retryAfterSeconds(int seconds) {
        this.retryAfterSeconds = seconds;
    }

    /** Calls made during a 429's {@code retry_after} that the account tolerates before blocking the IP. */
    public void strikesBeforeBlock(int strikes) {
        this.strikesBeforeBlock = strikes;
    }

    /** The account's IP is blocked from now on: every call answers 403. */
    public synchronized void blockNow() {
        blocked = true;
    }

    /** The next {@code count} API calls answer 429. */
    public void storm429(int count) {
        storm429.set(count);
    }

    // ---- what it saw ----------------------------------------------------------------------------------

    public synchronized int maxRequestsInAnySecond() {
        return window.most();
    }

    public long requests() {
        return requests.get();
    }

    public long itemsServed() {
        return itemsServed.get();
    }

    public long tooManyRequests() {
        return tooManyRequests.get();
    }

    /** Calls that arrived while a 429's retry_after was still running. */
    public synchronized int strikes() {
        return strikes;
    }

    /** Answers 204 (nothing more, or nothing at all). */
    public long noContent() {
        return noContent.get();
    }

    public long forbidden() {
        return forbidden.get();
    }

    public long refreshes() {
        return refreshes.get();
    }

    public long unauthorized() {
        return unauthorized.get();
    }

    public synchronized void resetCounters() {
        window.reset();
        requests.set(0);
        itemsServed.set(0);
        tooManyRequests.set(0);
        forbidden.set(0);
        noContent.set(0);
        strikes = 0;
        refreshes.set(0);
        unauthorized.set(0);
    }

    @Override
    public void close() {
        server.stop();
    }

    // ---- the API ----------------------------------------------------------------------------------------

    /** The rate limit as amoCRM applies it: 429, then 403 for a client that does not wait. */
    private synchronized ResponseDefinition throttle(int inWindow) {
        long now = System.nanoTime();
        if (blocked) {
            forbidden.incrementAndGet();
            return problem(403, "Forbidden", "IP address is blocked for exceeding the request limit");
        }
        if (now - penaltyUntilNanos < 0) {
            if (++strikes >= strikesBeforeBlock) {
                blocked = true;
                forbidden.incrementAndGet();
                return problem(403, "Forbidden", "IP address is blocked for exceeding the request limit");
            }
            return tooMany(now);
        }
        int limit = requestsPerSecond;
        if (storm429.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || (limit > 0 && inWindow > limit)) {
            return tooMany(now);
        }
        return null;
    }

    private ResponseDefinition tooMany(long now) {
        tooManyRequests.incrementAndGet();
        penaltyUntilNanos = now + Duration.ofSeconds(retryAfterSeconds).toNanos();
        ObjectNode body = NODES.objectNode().put("title", "Too Many Requests").put("type", "https://httpstatus.es/429")
                .put("status", 429).put("detail", "Too many requests").put("retry_after", retryAfterSeconds);
        return json(429, body, "application/problem+json");
    }

    private synchronized boolean accessValid(String token) {
        if (LONG_LIVED_TOKEN.equals(token)) {
            return true;
        }
        Long expires = accessExpiresAtNanos.get(token);
        if (expires == null || System.nanoTime() - expires >= 0) {
            return false;
        }
        retirePredecessor(token);
        return true;
    }

    /** The first use of a new pair kills the refresh token it replaced. */
    private void retirePredecessor(String newToken) {
        String old = predecessorOf.remove(newToken);
        if (old != null) {
            RefreshToken r = refreshTokens.get(old);
            if (r != null) {
                r.alive = false;
                predecessorOf.remove(r.successorAccess);
                predecessorOf.remove(r.successorRefresh);
            }
        }
    }

    private synchronized ResponseDefinition refresh(Request request) {
        JsonNode body;
        try {
            body = JSON.readTree(request.getBodyAsString());
        } catch (RuntimeException e) {
            return problem(400, "Bad Request", "Body is not JSON");
        }
        if (!CLIENT_ID.equals(body.path("client_id").asString("")) || !CLIENT_SECRET.equals(body.path("client_secret").asString(""))) {
            return oauthError(401, "Client authentication failed");
        }
        String grant = body.path("grant_type").asString("");
        if ("authorization_code".equals(grant)) {
            Long until = authorizationCodes.remove(body.path("code").asString(""));
            if (until == null || System.nanoTime() - until > 0) {
                return oauthError(400, "Authorization code has been revoked");
            }
            if (!REDIRECT_URI.equals(body.path("redirect_uri").asString(""))) {
                return oauthError(400, "Redirect URI does not match");
            }
            TokenPair pair = issue();
            refreshes.incrementAndGet();
            return json(200, NODES.objectNode().put("token_type", "Bearer").put("expires_in", pair.expiresIn())
                    .put("access_token", pair.accessToken()).put("refresh_token", pair.refreshToken()), "application/json");
        }
        if (!"refresh_token".equals(grant)) {
            return oauthError(400, "Unsupported grant type");
        }
        String used = body.path("refresh_token").asString("");
        RefreshToken token = refreshTokens.get(used);
        if (token == null || !token.alive) {
            return oauthError(400, "Token has been revoked");
        }
        retirePredecessor(used);
        if (token.successorAccess != null) {
            // the previous answer to this token was lost in transit: that pair is void, a new one replaces it
            accessExpiresAtNanos.remove(token.successorAccess);
            refreshTokens.remove(token.successorRefresh);
            predecessorOf.remove(token.successorAccess);
            predecessorOf.remove(token.successorRefresh);
        }
        TokenPair pair = issue();
        token.successorAccess = pair.accessToken();
        token.successorRefresh = pair.refreshToken();
        predecessorOf.put(pair.accessToken(), used);
        predecessorOf.put(pair.refreshToken(), used);
        refreshes.incrementAndGet();
        ObjectNode answer = NODES.objectNode().put("token_type", "Bearer").put("expires_in", pair.expiresIn())
                .put("access_token", pair.accessToken()).put("refresh_token", pair.refreshToken());
        return json(200, answer, "application/json");
    }

    /** The vendor API: one answer per request. */
    private final class Api {

        ResponseDefinition answer(Request request) {
            String path = request.getUrl().split("\\?", 2)[0];
            if (path.equals("/oauth2/access_token")) {
                return request.getMethod().getName().equals("POST") ? refresh(request) : problem(405, "Method Not Allowed", "");
            }
            requests.incrementAndGet();
            ResponseDefinition throttled = throttle(window.arrive());
            if (throttled != null) {
                return throttled;
            }
            if (expireAfterRequests.get() >= 0 && expireAfterRequests.getAndDecrement() == 0) {
                expireAccessTokens();
            }
            String auth = request.getHeader("Authorization");
            if (auth == null || !auth.startsWith("Bearer ") || !accessValid(auth.substring("Bearer ".length()))) {
                unauthorized.incrementAndGet();
                return problem(401, "Unauthorized", "Access token is invalid or expired");
            }
            return switch (path) {
                case "/api/v4/contacts" -> page("contacts", request);
                case "/api/v4/leads" -> page("only_deleted".equals(param(request, "with")) ? "deleted" : "leads", request);
                default -> problem(404, "Not Found", "No such resource");
            };
        }

        private ResponseDefinition page(String kind, Request request) {
            int page, limit;
            long from;
            try {
                page = Integer.parseInt(param(request, "page", "1"));
                limit = Integer.parseInt(param(request, "limit", "50"));
                from = Long.parseLong(param(request, "filter[updated_at][from]", "0"));
            } catch (NumberFormatException e) {
                return validation("page, limit and filter[updated_at][from] must be numbers");
            }
            if (page < 1 || limit < 1 || limit > 250) {
                return validation("limit must be between 1 and 250");
            }
            int[] ids = data.listing(kind);
            int first = firstChangedSince(kind, ids, from);
            int start = first + (page - 1) * limit;
            if (start >= ids.length) {
                noContent.incrementAndGet();
                return aResponse().withStatus(204).build();
            }
            int end = Math.min(ids.length, start + limit);
            ArrayNode items = NODES.arrayNode();
            boolean withContacts = "contacts".equals(param(request, "with"));
            for (int i = start; i < end; i++) {
                items.add(kind.equals("contacts") ? contact(data.contact(ids[i])) : lead(data.lead(ids[i]), withContacts));
            }
            itemsServed.addAndGet(items.size());
            ObjectNode root = NODES.objectNode();
            root.put("_page", page);
            ObjectNode links = root.putObject("_links");
            links.putObject("self").put("href", href(request, page));
            if (end < ids.length) {
                links.putObject("next").put("href", href(request, page + 1));
            }
            root.putObject("_embedded").set(kind.equals("contacts") ? "contacts" : "leads", items);
            return json(200, root, "application/hal+json");
        }

        private int firstChangedSince(String kind, int[] ids, long from) {
            int lo = 0, hi = ids.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (data.updatedAt(kind, ids[mid]) < from) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }

        private String href(Request request, int page) {
            StringBuilder query = new StringBuilder("page=").append(page);
            for (String name : new String[]{"limit", "filter[updated_at][from]", "order[updated_at]", "with"}) {
                String value = param(request, name);
                if (value != null) {
                    query.append('&').append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                            .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                }
            }
            return "http://127.0.0.1:" + server.port() + request.getUrl().split("\\?", 2)[0] + "?" + query;
        }

        private ObjectNode lead(Lead l, boolean withContacts) {
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
            n.putObject("_links").putObject("self").put("href", baseUrl() + "/leads/" + l.id());
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

        private ObjectNode contact(Contact c) {
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
            n.putObject("_links").putObject("self").put("href", baseUrl() + "/contacts/" + c.id());
            return n;
        }

        private ResponseDefinition validation(String detail) {
            ObjectNode body = NODES.objectNode().put("title", "Bad Request").put("type", "https://httpstatus.es/400")
                    .put("status", 400).put("detail", "Request validation failed");
            body.putArray("validation-errors").addObject().put("request_id", "0").putArray("errors").addObject()
                    .put("code", "InvalidParameter").put("detail", detail);
            return json(400, body, "application/problem+json");
        }

        private String param(Request request, String name) {
            var p = request.queryParameter(name);
            return p != null && p.isPresent() ? p.firstValue() : null;
        }

        private String param(Request request, String name, String defaultValue) {
            String value = param(request, name);
            return value == null ? defaultValue : value;
        }
    }

    private static ResponseDefinition oauthError(int status, String hint) {
        ObjectNode body = NODES.objectNode().put("hint", hint).put("title", "Некорректный запрос")
                .put("type", "https://developers.amocrm.ru/v3/errors/OAuthProblemJson").put("status", status)
                .put("detail", "В запросе отсутствует ряд параметров или параметры невалидны");
        return json(status, body, "application/problem+json");
    }

    private static ResponseDefinition problem(int status, String title, String detail) {
        ObjectNode body = NODES.objectNode().put("title", title).put("type", "https://httpstatus.es/" + status)
                .put("status", status).put("detail", detail);
        return json(status, body, "application/problem+json");
    }

    private static ResponseDefinition json(int status, JsonNode body, String contentType) {
        return aResponse().withStatus(status).withHeader("Content-Type", contentType + "; charset=utf-8")
                .withBody(JSON.writeValueAsString(body)).build();
    }
}
