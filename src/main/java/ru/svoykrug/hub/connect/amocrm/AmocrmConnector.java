package ru.svoykrug.hub.connect.amocrm;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connect.ConnectionRepository;
import ru.svoykrug.hub.connect.Connector;
import ru.svoykrug.hub.connect.PagedChangeCursor;
import ru.svoykrug.hub.connect.PartnerConnection;
import ru.svoykrug.hub.connect.PartnerJson;
import ru.svoykrug.hub.connect.RateLimitedHttpClient;
import ru.svoykrug.hub.connect.StagedPage;
import ru.svoykrug.hub.connect.StagingWriter.NextPosition;
import ru.svoykrug.hub.connect.StreamSync;
import ru.svoykrug.hub.connect.VendorErrorException;
import ru.svoykrug.hub.connect.token.TokenAuthHttpClient;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Auth, paging and mapping for the amoCRM route template ({@code routes/amocrm.yaml}): contacts, leads
 * and deleted leads, read by {@code filter[updated_at][from]} in ascending order of change, following
 * {@code _links.next} until the last page or a 204. A lead in status 142 (won) is a sale.
 */
@Component("amocrm")
public class AmocrmConnector implements Connector {

    static final String NEXT_HREF = "hubAmocrmNextHref";
    private static final List<String> STREAMS = List.of("contacts", "leads", "deleted_leads");

    private final Clock clock;
    private final ConnectionRepository connections;
    private final DataSource dataSource;
    private final ApplicationEventPublisher events;

    private final Duration longestWait;

    public AmocrmConnector(Clock clock, ConnectionRepository connections, DataSource dataSource, ApplicationEventPublisher events,
                           @Value("${hub.sync.http.max-retry-after-seconds:600}") long longestWaitSeconds) {
        this.longestWait = Duration.ofSeconds(longestWaitSeconds);
        this.clock = clock;
        this.connections = connections;
        this.dataSource = dataSource;
        this.events = events;
    }

    @Override
    public String system() {
        return "amocrm";
    }

    @Override
    public List<String> streams() {
        return STREAMS;
    }

    @Override
    public int defaultRequestsPerSecond() {
        return 7;
    }

    @Override
    public Map<String, String> templateParameters(PartnerConnection c, String stream, String baseUrl) {
        return Map.of("baseUrl", apiBase(baseUrl), "path", stream.equals("contacts") ? "contacts" : "leads");
    }

    /** The account's API root: {@code baseUrl} may be the account ({@code https://x.amocrm.ru}) or its {@code /api/v4}. */
    static String apiBase(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base.endsWith("/api/v4") ? base : base + "/api/v4";
    }

    @Override
    public HttpClientConfigurer httpClient(PartnerConnection c, int requestsPerSecond, String baseUrl) {
        // One call a second below the vendor's limit: calls spaced by the hub arrive with network jitter.
        int paced = requestsPerSecond > 1 ? requestsPerSecond - 1 : requestsPerSecond;
        return new TokenAuthHttpClient(RateLimitedHttpClient.forConnection(c.id(), paced),
                tokens(c, baseUrl), "amoCRM", true, Set.of(), requestsPerSecond > 0, longestWait);
    }

    /** The token keeper of a connection; each call makes a new one, as a second hub node would. */
    AmocrmTokens tokens(PartnerConnection c, String baseUrl) {
        String ahead = c.setting("refreshAheadSeconds", null);
        return new AmocrmTokens(c.id(), c.setting("oauthUrl", AmocrmTokens.oauthUrlOf(apiBase(baseUrl))), connections, dataSource,
                events, clock, ahead == null ? null : Duration.ofSeconds(Long.parseLong(ahead)));
    }

    /** Camel step: the request for the stream's next page (the token is added by the HTTP client). */
    public void prepare(Exchange exchange) {
        StreamSync sync = exchange.getProperty(StreamSync.PROPERTY, StreamSync.class);
        PartnerConnection c = sync.connection();
        boolean first = sync.request() == null;
        PagedChangeCursor.Request request = first
                ? PagedChangeCursor.start(sync.position(), clock.instant(), Duration.ofMinutes(c.intSetting("overlapMinutes", 10)))
                : PagedChangeCursor.next(sync.request());
        sync.request(request);
        String nextHref = first ? null : exchange.getProperty(NEXT_HREF, String.class);

        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(null);
        message.setHeader("Accept", "application/hal+json");
        if (nextHref != null) {
            message.setHeader(Exchange.HTTP_URI, nextHref);
            return;
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("page", Integer.toString(request.page()));
        query.put("limit", Integer.toString(pageSize(c)));
        if (request.changedAfter() != null) {
            query.put("filter[updated_at][from]", Long.toString(request.changedAfter().getEpochSecond()));
        }
        query.put("order[updated_at]", "asc");
        switch (sync.stream()) {
            case "leads" -> query.put("with", "contacts");
            case "deleted_leads" -> query.put("with", "only_deleted");
            default -> {
            }
        }
        message.setHeader(Exchange.HTTP_QUERY, query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    /** Camel step: the page's HAL JSON to canonical rows and the cursor position that follows it. */
    public void readPage(Exchange exchange) throws Exception {
        StreamSync sync = exchange.getProperty(StreamSync.PROPERTY, StreamSync.class);
        Integer code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        StagedPage page = new StagedPage();
        String nextHref = null;
        // amoCRM answers 204 with an empty body past the last page and when nothing matches.
        if (code == null || code != 204) {
            JsonNode root;
            try (InputStream body = exchange.getMessage().getBody(InputStream.class)) {
                root = body == null ? null : PartnerJson.MAPPER.readTree(body);
            }
            if (root != null && !root.isMissingNode() && !root.isNull()) {
                String key = sync.stream().equals("contacts") ? "contacts" : "leads";
                JsonNode items = root.path("_embedded").path(key);
                if (!items.isArray()) {
                    throw new VendorErrorException("amoCRM answered without _embedded." + key + " on " + sync.stream());
                }
                new AmocrmMapper().map(sync.stream(), items, page);
                JsonNode next = root.path("_links").path("next").path("href");
                nextHref = next.isString() && !next.asString().isBlank() ? next.asString() : null;
            }
        }
        boolean more = nextHref != null;
        exchange.setProperty(NEXT_HREF, nextHref);
        PagedChangeCursor.Request request = sync.request();
        exchange.setProperty(NextPosition.PROPERTY,
                new NextPosition(PagedChangeCursor.afterPage(sync.position(), request, page.maxChangedAt(), more), more));
        exchange.getMessage().setBody(page);
    }

    private static int pageSize(PartnerConnection c) {
        return Math.min(250, c.intSetting("pageSize", 250));
    }
}
