package ru.svoykrug.hub.connect.iiko;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connect.ConnectionRepository;
import ru.svoykrug.hub.connect.Connector;
import ru.svoykrug.hub.connect.PartnerConnection;
import ru.svoykrug.hub.connect.PartnerJson;
import ru.svoykrug.hub.connect.RateLimitedHttpClient;
import ru.svoykrug.hub.connect.StagedPage;
import ru.svoykrug.hub.connect.StagingWriter.NextPosition;
import ru.svoykrug.hub.connect.StreamCursor;
import ru.svoykrug.hub.connect.StreamSync;
import ru.svoykrug.hub.connect.SyncRuns;
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
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Auth, cursor and mapping for the iiko route template ({@code routes/iiko.yaml}): delivery orders of
 * one organization, read by revision, or by delivery date when the saved revision is too old for iiko
 * (see {@link IikoCursor}). Every call is a POST with a JSON body; the HTTP client adds the token.
 */
@Component("iiko")
public class IikoConnector implements Connector {

    static final String REQUEST = "hubIikoRequest";
    private static final Duration TOO_OLD_FOR_IIKO = Duration.ofHours(3);

    private final Clock clock;
    private final ConnectionRepository connections;
    private final SyncRuns runs;

    public IikoConnector(Clock clock, ConnectionRepository connections, SyncRuns runs) {
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
                false, Set.of(408), false);
    }

    /** Camel step: the next call, by revision or by delivery date, as a JSON body. */
    public void prepare(Exchange exchange) {
        StreamSync sync = exchange.getProperty(StreamSync.PROPERTY, StreamSync.class);
        PartnerConnection c = sync.connection();
        StreamCursor cursor = sync.position();
        Instant now = clock.instant();
        IikoCursor.Request request;
        if (!IikoCursor.inWindow(cursor) && IikoCursor.revisionTooOld(cursor, now, maxRevisionAge(c))) {
            String why = cursor.get("revision") == null ? "first sync"
                    : "the saved revision " + cursor.get("revision") + " of " + cursor.get("revisionAt") + " is older than iiko accepts";
            request = IikoCursor.firstChunk(fallback(sync, cursor, now, why), now, chunk(c));
        } else {
            request = IikoCursor.next(cursor, now, chunk(c));
        }
        exchange.setProperty(REQUEST, request);

        String organizationId = c.requiredSetting("organizationId");
        ObjectNode body = PartnerJson.MAPPER.createObjectNode();
        body.putArray("organizationIds").add(organizationId);
        String path;
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
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.HTTP_URI, exchange.getProperty("hubIikoBaseUrl", String.class) + path);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        message.setBody(PartnerJson.MAPPER.writeValueAsString(body));
    }

    /** Camel step: orders to sales; the revision or the window's next chunk to commit with them. */
    public void readPage(Exchange exchange) throws Exception {
        StreamSync sync = exchange.getProperty(StreamSync.PROPERTY, StreamSync.class);
        IikoCursor.Request request = exchange.getProperty(REQUEST, IikoCursor.Request.class);
        Integer code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        JsonNode root;
        try (InputStream body = exchange.getMessage().getMandatoryBody(InputStream.class)) {
            root = PartnerJson.MAPPER.readTree(body);
        }
        StagedPage page = new StagedPage();
        if (code != null && code == 400) {
            String description = root.path("errorDescription").asString("");
            if (request instanceof ByRevision && description.toLowerCase(java.util.Locale.ROOT).contains("revision")) {
                // iiko refused the revision (too old for it): read the missed time by delivery date instead
                Fallback f = fallback(sync, sync.position(), clock.instant(),
                        "iiko refused the saved revision " + ((ByRevision) request).startRevision() + " (HTTP 400: " + description + ")");
                exchange.setProperty(NextPosition.PROPERTY, new NextPosition(IikoCursor.startWindow(f), true));
                exchange.getMessage().setBody(page);
                return;
            }
            throw new VendorErrorException("iiko answered 400: " + description + " (correlationId "
                    + root.path("correlationId").asString("?") + ")");
        }
        JsonNode orders = root.path("ordersByOrganizations");
        JsonNode maxRevision = root.path("maxRevision");
        if (!orders.isArray() || !maxRevision.canConvertToLong()) {
            throw new VendorErrorException("iiko answered without ordersByOrganizations or maxRevision");
        }
        new IikoMapper(sync.connection().zone()).map(orders, page);
        Map<String, String> next;
        boolean more;
        if (request instanceof ByRevision r) {
            next = IikoCursor.afterRevision(r, maxRevision.asLong());
            more = page.recordsRead() > 0 && maxRevision.asLong() > r.startRevision();
        } else {
            next = IikoCursor.afterChunk(sync.position(), (ByDate) request, maxRevision.asLong());
            more = true; // after the window's last chunk, its revision reads what changed meanwhile
        }
        exchange.setProperty(NextPosition.PROPERTY, new NextPosition(next, more));
        exchange.getMessage().setBody(page);
    }

    private Fallback fallback(StreamSync sync, StreamCursor cursor, Instant now, String why) {
        PartnerConnection c = sync.connection();
        LocalDate historyFrom = LocalDate.parse(c.setting("historyFrom", "1970-01-01"));
        Fallback f = IikoCursor.fallback(cursor, now, Duration.ofHours(c.intSetting("fallbackLookBackHours", 24)),
                historyFrom.atStartOfDay(c.zone()).toInstant(), why);
        if (f.note() != null) {
            runs.note(sync.runId(), f.note());
        }
        if (f.gapNote() != null) {
            runs.note(sync.runId(), f.gapNote());
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
