package ru.svoykrug.hub.connect.iiko;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connect.ConnectionRepository;
import ru.svoykrug.hub.connect.Connector;
import ru.svoykrug.hub.connect.HistoryFrom;
import ru.svoykrug.hub.connect.PartnerConnection;
import ru.svoykrug.hub.connect.PartnerJson;
import ru.svoykrug.hub.connect.RateLimitedHttpClient;
import ru.svoykrug.hub.connect.StagedPage;
import ru.svoykrug.hub.connect.StagingWriter.NextPosition;
import ru.svoykrug.hub.connect.StreamCursor;
import ru.svoykrug.hub.connect.StreamSync;
import ru.svoykrug.hub.connect.SyncRuns;
import ru.svoykrug.hub.connect.VendorAnswers;
import ru.svoykrug.hub.connect.VendorErrorException;
import ru.svoykrug.hub.connect.iiko.IikoCursor.ByDate;
import ru.svoykrug.hub.connect.iiko.IikoCursor.ByRevision;
import ru.svoykrug.hub.connect.iiko.IikoCursor.Fallback;
import ru.svoykrug.hub.connect.token.TokenAuthHttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Auth, cursor and mapping for the iiko route template ({@code routes/iiko.yaml}): delivery orders of
 * every organization of the connection ({@link IikoOrganizations}), one after the other, each read by
 * revision, or by delivery date when its saved revision is too old for iiko (see {@link IikoCursor}). Every call is a POST with a JSON body; the HTTP client adds the token.
 */
@Component("iiko")
public class IikoConnector implements Connector {

    static final String REQUEST = "hubIikoRequest";
    static final String ORGANIZATIONS = "hubIikoOrganizations";
    static final String ORGANIZATION_INDEX = "hubIikoOrganizationIndex";
    static final String ORGANIZATION = "hubIikoOrganization";
    private static final String LOOKUP = "organizations";
    private static final Duration TOO_OLD_FOR_IIKO = Duration.ofHours(3);

    private final Clock clock;
    private final ConnectionRepository connections;
    private final SyncRuns runs;

    private final Duration longestWait;

    public IikoConnector(Clock clock, ConnectionRepository connections, SyncRuns runs,
                         @Value("${hub.sync.http.max-retry-after-seconds:600}") long longestWaitSeconds) {
        this.longestWait = Duration.ofSeconds(longestWaitSeconds);
        this.clock = clock;
        this.connections = connections;
        this.runs = runs;
    }

    @Override
    public String system() {
        return "iiko";
    }

    @Override
    public List<String> streams() {
        return List.of("deliveries");
    }

    /** iiko limits calls per method group without publishing the numbers [guess]. */
    @Override
    public int defaultRequestsPerSecond() {
        return 5;
    }

    @Override
    public Map<String, String> templateParameters(PartnerConnection c, String stream, String baseUrl) {
        return Map.of("baseUrl", baseUrl);
    }

    @Override
    public HttpClientConfigurer httpClient(PartnerConnection c, int requestsPerSecond, String baseUrl) {
        IikoTokens tokens = new IikoTokens(c.id(), baseUrl, connections, clock,
                Duration.ofMinutes(c.intSetting("tokenLifetimeMinutes", 60)));
        // 408 is iiko's own timeout (header Timeout, 15 s by default): transient, retried with back-off.
        return new TokenAuthHttpClient(RateLimitedHttpClient.forConnection(c.id(), requestsPerSecond), tokens, "iiko",
                false, Set.of(408), false, longestWait);
    }

    /**
     * Camel step: the next call as a JSON body. The first call of a run without configured organizations
     * asks which ones the apiLogin sees; then each organization is read in turn from its own position,
     * by revision or by delivery date.
     */
    public void prepare(Exchange exchange) {
        StreamSync sync = exchange.getProperty(StreamSync.PROPERTY, StreamSync.class);
        PartnerConnection c = sync.connection();
        ObjectNode body = PartnerJson.MAPPER.createObjectNode();
        String path;
        List<?> organizations = exchange.getProperty(ORGANIZATIONS, List.class);
        if (organizations == null) {
            List<String> configured = IikoOrganizations.configured(c.settings());
            if (configured.isEmpty()) {
                exchange.setProperty(REQUEST, LOOKUP);
                body.putNull("organizationIds");
                body.put("returnAdditionalInfo", false);
                body.put("includeDisabled", false);
                send(exchange, "/api/1/organizations", body);
                return;
            }
            exchange.setProperty(ORGANIZATIONS, configured);
            organizations = configured;
        }
        String organizationId = (String) organizations.get(exchange.getProperty(ORGANIZATION_INDEX, 0, Integer.class));
        StreamCursor cursor = IikoCursor.of(sync.position(), organizationId);
        Instant now = clock.instant();
        IikoCursor.Request request;
        if (!IikoCursor.inWindow(cursor) && IikoCursor.revisionTooOld(cursor, now, maxRevisionAge(c))) {
            String why = cursor.get("revision") == null ? "first sync"
                    : "the saved revision " + cursor.get("revision") + " of " + cursor.get("revisionAt") + " is older than iiko accepts";
            request = IikoCursor.firstChunk(fallback(sync, organizationId, cursor, now, why), now, chunk(c));
        } else {
            request = IikoCursor.next(cursor, now, chunk(c));
        }
        exchange.setProperty(REQUEST, request);
        exchange.setProperty(ORGANIZATION, organizationId);

        body.putArray("organizationIds").add(organizationId);
        if (request instanceof ByRevision r) {
            path = "/api/1/deliveries/by_revision";
            body.put("startRevision", r.startRevision());
            body.putNull("sourceKeys");
        } else {
            ByDate d = (ByDate) request;
            path = "/api/1/deliveries/by_delivery_date_and_status";
            body.put("deliveryDateFrom", IikoDates.local(d.from(), c.zone()));
            body.put("deliveryDateTo", IikoDates.local(d.to().minusMillis(1), c.zone()));
            body.putNull("statuses");
            body.putNull("sourceKeys");
        }
        send(exchange, path, body);
    }

    private static void send(Exchange exchange, String path, ObjectNode body) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.HTTP_URI, exchange.getProperty("hubIikoBaseUrl", String.class) + path);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        message.setBody(PartnerJson.MAPPER.writeValueAsString(body));
    }

    /** Camel step: orders to sales; the organization's revision or window chunk to commit with them. */
    public void readPage(Exchange exchange) throws Exception {
        StreamSync sync = exchange.getProperty(StreamSync.PROPERTY, StreamSync.class);
        Object asked = exchange.getProperty(REQUEST);
        Integer code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        JsonNode root;
        try (InputStream body = exchange.getMessage().getMandatoryBody(InputStream.class)) {
            root = PartnerJson.MAPPER.readTree(body);
        }
        StagedPage page = new StagedPage();
        if (LOOKUP.equals(asked)) {
            if (code != null && code == 400) {
                throw new VendorErrorException("iiko answered /api/1/organizations with " + iikoError(code, root));
            }
            exchange.setProperty(ORGANIZATIONS, IikoOrganizations.fromAnswer(root));
            exchange.setProperty(NextPosition.PROPERTY, new NextPosition(Map.of(), true));
            exchange.getMessage().setBody(page);
            return;
        }
        IikoCursor.Request request = (IikoCursor.Request) asked;
        String organizationId = exchange.getProperty(ORGANIZATION, String.class);
        StreamCursor position = IikoCursor.of(sync.position(), organizationId);
        if (code != null && code == 400) {
            String description = root.path("errorDescription").asString("");
            if (request instanceof ByRevision && description.toLowerCase(java.util.Locale.ROOT).contains("revision")) {
                // iiko refused the revision (too old for it): read the missed time by delivery date instead
                Fallback f = fallback(sync, organizationId, position, clock.instant(),
                        "iiko refused the saved revision " + ((ByRevision) request).startRevision() + " (" + iikoError(code, root) + ")");
                exchange.setProperty(NextPosition.PROPERTY,
                        new NextPosition(IikoCursor.forOrganization(organizationId, IikoCursor.startWindow(f)), true));
                exchange.getMessage().setBody(page);
                return;
            }
            throw new VendorErrorException("iiko answered " + iikoError(code, root) + " for organization " + organizationId);
        }
        JsonNode orders = root.path("ordersByOrganizations");
        JsonNode maxRevision = root.path("maxRevision");
        if (!orders.isArray() || !maxRevision.canConvertToLong()) {
            throw new VendorErrorException("iiko answered without ordersByOrganizations or maxRevision");
        }
        new IikoMapper(sync.connection().zone(), organizationId).map(orders, page);
        Map<String, String> next;
        boolean more;
        if (request instanceof ByRevision r) {
            next = IikoCursor.afterRevision(r, maxRevision.asLong());
            more = page.recordsRead() > 0 && maxRevision.asLong() > r.startRevision();
        } else {
            next = IikoCursor.afterChunk(position, (ByDate) request, maxRevision.asLong());
            more = true; // after the window's last chunk, its revision reads what changed meanwhile
        }
        if (!more) {
            // this organization is read up to now: on to the next one, if any
            int index = exchange.getProperty(ORGANIZATION_INDEX, 0, Integer.class) + 1;
            more = index < exchange.getProperty(ORGANIZATIONS, List.class).size();
            exchange.setProperty(ORGANIZATION_INDEX, index);
        }
        exchange.setProperty(NextPosition.PROPERTY, new NextPosition(IikoCursor.forOrganization(organizationId, next), more));
        exchange.getMessage().setBody(page);
    }

    /** iiko's status and error code; its errorDescription may echo what was sent, so it stays out. */
    private static String iikoError(int code, JsonNode root) {
        String error = VendorAnswers.errorCode(root);
        String correlation = root.path("correlationId").asString(null);
        return "HTTP " + code + (error == null ? "" : " (error " + error + ")")
                + (correlation == null ? "" : ", correlationId " + correlation);
    }

    private Fallback fallback(StreamSync sync, String organizationId, StreamCursor cursor, Instant now, String why) {
        PartnerConnection c = sync.connection();
        Fallback f = IikoCursor.fallback(cursor, now, Duration.ofHours(c.intSetting("fallbackLookBackHours", 24)),
                HistoryFrom.of(c, "1970-01-01"), "organization " + organizationId + ": " + why);
        if (f.note() != null) {
            runs.note(sync.runId(), f.note());
        }
        if (f.gapNote() != null) {
            runs.note(sync.runId(), f.gapNote() + " (organization " + organizationId + ")");
        }
        return f;
    }

    /** The hub switches to dates a little before iiko would refuse the revision. */
    private static Duration maxRevisionAge(PartnerConnection c) {
        return Duration.ofMinutes(c.intSetting("revisionMaxAgeMinutes", (int) TOO_OLD_FOR_IIKO.toMinutes() - 15));
    }

    private static Duration chunk(PartnerConnection c) {
        return Duration.ofMinutes(c.intSetting("chunkMinutes", 24 * 60));
    }
}
