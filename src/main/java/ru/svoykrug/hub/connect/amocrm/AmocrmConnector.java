package ru.svoykrug.hub.connect.amocrm;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.sync.Connector;
import ru.svoykrug.hub.sync.Page;
import ru.svoykrug.hub.sync.PagedChangeCursor;
import ru.svoykrug.hub.sync.RepeatedRecords;
import ru.svoykrug.hub.sync.PartnerAnswer;
import ru.svoykrug.hub.sync.PartnerRequest;
import ru.svoykrug.hub.sync.Records;
import ru.svoykrug.hub.sync.StreamReader;
import ru.svoykrug.hub.sync.StreamSync;
import ru.svoykrug.hub.sync.VendorErrorException;
import ru.svoykrug.hub.sync.http.HttpRetryProperties;
import ru.svoykrug.hub.sync.http.PartnerJson;
import ru.svoykrug.hub.sync.http.RateLimitedHttpClient;
import ru.svoykrug.hub.sync.http.RateLimits;
import ru.svoykrug.hub.sync.http.TokenAuthHttpClient;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Auth, paging and mapping of amoCRM (descriptor {@code routes/amocrm.yaml}): contacts, leads and deleted
 * leads, read by {@code filter[updated_at][from]} in ascending order of change, following
 * {@code _links.next} until the last page or a 204. A lead in status 142 (won) is a sale.
 */
@Component
public class AmocrmConnector implements Connector {

    private final Clock clock;
    private final ConnectionRepository connections;
    private final DataSource dataSource;
    private final ApplicationEventPublisher events;
    private final Duration longestWait;

    public AmocrmConnector(Clock clock, ConnectionRepository connections, DataSource dataSource, ApplicationEventPublisher events,
                           HttpRetryProperties http) {
        this.longestWait = http.longestRetryAfter();
        this.clock = clock;
        this.connections = connections;
        this.dataSource = dataSource;
        this.events = events;
    }

    @Override
    public String system() {
        return "amocrm";
    }

    /** The account's API root: {@code baseUrl} may be the account ({@code https://x.amocrm.ru}) or its {@code /api/v4}. */
    @Override
    public String apiRoot(String baseUrl) {
        return apiBase(baseUrl);
    }

    static String apiBase(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base.endsWith("/api/v4") ? base : base + "/api/v4";
    }

    @Override
    public HttpClientConfigurer httpClient(PartnerConnection c, RateLimits limits, String apiRoot) {
        // One call a second below the vendor's limit: amoCRM blocks the IP of a client that keeps hitting 429,
        // so a call arriving early with network jitter must not be the one too many.
        return new TokenAuthHttpClient(RateLimitedHttpClient.forConnection(c.id(), limits.oneBelowPerSecond()),
                tokens(c, apiRoot), "amoCRM", true, Set.of(), limits.perSecond() > 0, longestWait);
    }

    /** The token keeper of a connection; each call makes a new one, as a second hub node would. */
    AmocrmTokens tokens(PartnerConnection c, String baseUrl) {
        String ahead = c.setting("refreshAheadSeconds", null);
        return new AmocrmTokens(c.id(), c.setting("oauthUrl", AmocrmTokens.oauthUrlOf(apiBase(baseUrl))), connections, dataSource,
                events, clock, ahead == null ? null : Duration.ofSeconds(Long.parseLong(ahead)));
    }

    @Override
    public StreamReader reader(StreamSync sync) {
        return new Reader(sync);
    }

    private final class Reader implements StreamReader {

        private final StreamSync sync;
        private PagedChangeCursor.Request request;
        private final RepeatedRecords repeated = new RepeatedRecords();
        private String nextHref;

        Reader(StreamSync sync) {
            this.sync = sync;
        }

        /** The request for the stream's next page (the token is added by the HTTP client). */
        @Override
        public PartnerRequest next() {
            boolean first = request == null;
            request = first
                    ? PagedChangeCursor.start(sync.position(), clock.instant(), sync.overlap())
                    : PagedChangeCursor.next(request);
            if (!first && nextHref != null) {
                return PartnerRequest.toUri(nextHref);
            }
            Map<String, String> query = PagedChangeCursor.pageQuery(sync, request);
            if (request.changedAfter() != null) {
                query.put(sync.descriptor().cursor().field(), Long.toString(request.changedAfter().getEpochSecond()));
            }
            query.put("order[updated_at]", "asc");
            return PartnerRequest.toStream().query(query.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&")));
        }

        /** The page's HAL JSON to canonical rows and the cursor position that follows it. */
        @Override
        public Page read(PartnerAnswer answer) throws Exception {
            StagedPage page = new StagedPage();
            nextHref = null;
            // amoCRM answers 204 with an empty body past the last page and when nothing matches.
            if (answer.status() != 204 && answer.body() != null) {
                JsonNode root = PartnerJson.MAPPER.readTree(answer.body());
                if (root != null && !root.isMissingNode() && !root.isNull()) {
                    String selector = sync.descriptor().recordSelector(sync.stream());
                    JsonNode items = Records.select(root, selector);
                    if (!items.isArray()) {
                        throw new VendorErrorException("amoCRM answered without " + selector + " on " + sync.stream());
                    }
                    new AmocrmMapper().map(sync.stream(), items, page);
                    JsonNode next = root.path("_links").path("next").path("href");
                    nextHref = next.isString() && !next.asString().isBlank() ? next.asString() : null;
                }
            }
            boolean more = nextHref != null;
            repeated.read(page.changes());
            return new Page(page, PagedChangeCursor.afterPage(sync.position(), request, page.maxChangedAt(), more,
                    repeated.rewindTo()), more);
        }
    }
}
