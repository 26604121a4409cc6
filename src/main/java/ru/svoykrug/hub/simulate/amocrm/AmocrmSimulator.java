package ru.svoykrug.hub.simulate.amocrm;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import ru.svoykrug.hub.simulate.kit.Countdown;
import ru.svoykrug.hub.simulate.kit.LoopbackSimulator;
import ru.svoykrug.hub.simulate.kit.Requests.BadRequest;
import ru.svoykrug.hub.simulate.kit.SlidingSecond;
import ru.svoykrug.hub.simulate.kit.Tally;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static ru.svoykrug.hub.simulate.amocrm.AmocrmBodies.problem;
import static ru.svoykrug.hub.simulate.amocrm.AmocrmBodies.validation;
import static ru.svoykrug.hub.simulate.kit.Answers.json;
import static ru.svoykrug.hub.simulate.kit.Requests.isPost;
import static ru.svoykrug.hub.simulate.kit.Requests.param;
import static ru.svoykrug.hub.simulate.kit.Requests.path;

/**
 * An amoCRM account over real HTTP (WireMock), behaving as CONTRACTS.md says the real API does: HAL
 * pages of at most 250 with {@code _links.next}, 204 with an empty body past the end or when nothing
 * matches, {@code filter[updated_at][from]} in Unix seconds, {@code with=only_deleted}, and OAuth 2.0
 * whose refresh token rotates on every refresh ({@link AmocrmOAuth}).
 *
 * <p>Over 7 calls in any second it answers 429 with {@code retry_after}; a client that calls again
 * before that time is up gets a strike, and after {@link #strikesBeforeBlock(int)} strikes every call
 * answers 403 (a blocked IP) [guess: amoCRM does not publish how many]. On demand it expires access
 * tokens, storms 429s, and revokes the integration. It counts what it saw.
 */
public final class AmocrmSimulator extends LoopbackSimulator {

    public static final String CLIENT_ID = "sim-client-id";
    public static final String CLIENT_SECRET = "sim-client-secret";
    public static final String REDIRECT_URI = "https://hub.svoykrug.example/amocrm/oauth";
    public static final String LONG_LIVED_TOKEN = "sim-long-lived-token";

    private enum Seen { REQUESTS, ITEMS, TOO_MANY, FORBIDDEN, NO_CONTENT, REFRESHES, UNAUTHORIZED }

    private final AmocrmDataSet data;
    private final AmocrmListing listing;
    private final Tally<Seen> seen = new Tally<>(Seen.class);
    private final AmocrmOAuth oauth = new AmocrmOAuth(() -> seen.count(Seen.REFRESHES));

    private volatile int requestsPerSecond = 7;
    private volatile int retryAfterSeconds = 1;
    private volatile int strikesBeforeBlock = 3;
    private final Countdown storm429 = new Countdown();
    private final AtomicInteger expireAfterRequests = new AtomicInteger(-1);
    private long penaltyUntilNanos;
    private int strikes;
    private boolean blocked;
    private final SlidingSecond window = new SlidingSecond();

    private AmocrmSimulator(AmocrmDataSet data) {
        this.data = data;
        this.listing = new AmocrmListing(data);
        listen(KIND.system(), "/(api/v4|oauth2)/.*");
    }

    public static final Kind KIND = new Kind("amocrm", AmocrmSimulator::start);

    /** An account of the spec's leads (its history is 2025, whatever the spec's end; no malformed leads). */
    public static AmocrmSimulator start(Spec spec) {
        return start(new AmocrmDataSet(spec.seed(), spec.records()));
    }

    public static AmocrmSimulator start(AmocrmDataSet data) {
        return new AmocrmSimulator(data);
    }

    @Override
    public String baseUrl() {
        return origin() + "/api/v4";
    }

    public AmocrmDataSet data() {
        return data;
    }

    @Override
    public AmocrmTruth truth() {
        return data.truth();
    }

    @Override
    public String unit() {
        return "leads (plus a contact per two); one call at a time, as amoCRM wants";
    }

    @Override
    public Map<String, String> benchSettings(Load load) {
        return Map.of("baseUrl", baseUrl(), "requestsPerSecond", "0", "pageSize", Integer.toString(Math.max(load.pageSize(), 250)));
    }

    /** A freshly authorised token pair, as the integration holds it after the partner's consent. */
    @Override
    public Map<String, String> credentials() {
        TokenPair pair = authorise();
        Instant now = Instant.now();
        return Map.of("clientId", CLIENT_ID, "clientSecret", CLIENT_SECRET, "redirectUri", REDIRECT_URI,
                "accessToken", pair.accessToken(), "refreshToken", pair.refreshToken(), "issuedAt", now.toString(),
                "expiresAt", now.plusSeconds(pair.expiresIn()).toString());
    }

    @Override
    public void liftRateLimit() {
        requestsPerSecond(0);
    }

    // ---- the integration's tokens ---------------------------------------------------------------------

    public record TokenPair(String accessToken, String refreshToken, long expiresIn) {
    }

    /** The pair amoCRM gives when the partner authorises the hub's integration. */
    public TokenPair authorise() {
        return oauth.authorise();
    }

    /**
     * The authorization code the partner copies from the integration's settings (or that reaches the
     * redirect URI): exchanged once, within 20 minutes, for the first token pair
     * ({@code grant_type=authorization_code}).
     */
    public String authorizationCode() {
        return oauth.authorizationCode();
    }

    /** How long a new access token lives (amoCRM: 24 hours). */
    public void accessTokenTtl(Duration ttl) {
        oauth.accessTokenTtl(ttl);
    }

    /** Every access token issued so far stops working now. */
    public void expireAccessTokens() {
        oauth.expireAccessTokens();
    }

    /** After {@code n} more API calls, every access token issued so far expires. */
    public void expireAccessTokensAfterRequests(int n) {
        expireAfterRequests.set(n);
    }

    /** The partner revoked the integration: no refresh token works any more. */
    public void revokeIntegration() {
        oauth.revokeIntegration();
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
        return seen.get(Seen.REQUESTS);
    }

    public long itemsServed() {
        return seen.get(Seen.ITEMS);
    }

    public long tooManyRequests() {
        return seen.get(Seen.TOO_MANY);
    }

    /** Calls that arrived while a 429's retry_after was still running. */
    public synchronized int strikes() {
        return strikes;
    }

    /** Answers 204 (nothing more, or nothing at all). */
    public long noContent() {
        return seen.get(Seen.NO_CONTENT);
    }

    public long forbidden() {
        return seen.get(Seen.FORBIDDEN);
    }

    public long refreshes() {
        return seen.get(Seen.REFRESHES);
    }

    public long unauthorized() {
        return seen.get(Seen.UNAUTHORIZED);
    }

    public synchronized void resetCounters() {
        window.reset();
        seen.reset();
        strikes = 0;
    }

    // ---- the API ----------------------------------------------------------------------------------------

    /** The rate limit as amoCRM applies it: 429, then 403 for a client that does not wait. */
    private synchronized ResponseDefinition throttle(int inWindow) {
        long now = System.nanoTime();
        if (blocked) {
            seen.count(Seen.FORBIDDEN);
            return problem(403, "Forbidden", "IP address is blocked for exceeding the request limit");
        }
        if (now - penaltyUntilNanos < 0) {
            if (++strikes >= strikesBeforeBlock) {
                blocked = true;
                seen.count(Seen.FORBIDDEN);
                return problem(403, "Forbidden", "IP address is blocked for exceeding the request limit");
            }
            return tooMany(now);
        }
        int limit = requestsPerSecond;
        if (storm429.take() || (limit > 0 && inWindow > limit)) {
            return tooMany(now);
        }
        return null;
    }

    private ResponseDefinition tooMany(long now) {
        seen.count(Seen.TOO_MANY);
        penaltyUntilNanos = now + Duration.ofSeconds(retryAfterSeconds).toNanos();
        return AmocrmBodies.tooMany(retryAfterSeconds);
    }

    @Override
    protected ResponseDefinition answer(Request request) {
        String path = path(request);
        if (path.equals("/oauth2/access_token")) {
            return isPost(request) ? oauth.tokenEndpoint(request) : problem(405, "Method Not Allowed", "");
        }
        seen.count(Seen.REQUESTS);
        ResponseDefinition throttled = throttle(window.arrive());
        if (throttled != null) {
            return throttled;
        }
        if (expireAfterRequests.get() >= 0 && expireAfterRequests.getAndDecrement() == 0) {
            expireAccessTokens();
        }
        String auth = request.getHeader("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !oauth.accessValid(auth.substring("Bearer ".length()))) {
            seen.count(Seen.UNAUTHORIZED);
            return problem(401, "Unauthorized", "Access token is invalid or expired");
        }
        return switch (path) {
            case "/api/v4/contacts" -> page("contacts", request);
            case "/api/v4/leads" -> page("only_deleted".equals(param(request, "with")) ? "deleted" : "leads", request);
            default -> problem(404, "Not Found", "No such resource");
        };
    }

    private ResponseDefinition page(String kind, Request request) {
        ObjectNode page;
        try {
            page = listing.page(kind, request, origin());
        } catch (BadRequest e) {
            return validation(e.getMessage());
        }
        if (page == null) {
            seen.count(Seen.NO_CONTENT);
            return aResponse().withStatus(204).build();
        }
        seen.add(Seen.ITEMS, page.path("_embedded").path(kind.equals("contacts") ? "contacts" : "leads").size());
        return json(200, page, "application/hal+json");
    }
}
