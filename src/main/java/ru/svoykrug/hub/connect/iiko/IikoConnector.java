package ru.svoykrug.hub.connect.iiko;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connect.iiko.IikoCursor.ByDate;
import ru.svoykrug.hub.connect.iiko.IikoCursor.ByRevision;
import ru.svoykrug.hub.connect.iiko.IikoCursor.Fallback;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.connections.HistoryFrom;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.sync.Connector;
import ru.svoykrug.hub.sync.Page;
import ru.svoykrug.hub.sync.PartnerAnswer;
import ru.svoykrug.hub.sync.PartnerRequest;
import ru.svoykrug.hub.sync.Records;
import ru.svoykrug.hub.sync.StreamCursor;
import ru.svoykrug.hub.sync.StreamReader;
import ru.svoykrug.hub.sync.StreamSync;
import ru.svoykrug.hub.sync.SyncRuns;
import ru.svoykrug.hub.sync.VendorErrorException;
import ru.svoykrug.hub.sync.http.HttpRetryProperties;
import ru.svoykrug.hub.sync.http.PartnerJson;
import ru.svoykrug.hub.sync.http.RateLimitedHttpClient;
import ru.svoykrug.hub.sync.http.RateLimits;
import ru.svoykrug.hub.sync.http.TokenAuthHttpClient;
import ru.svoykrug.hub.sync.http.VendorAnswers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Auth, cursor and mapping of iiko (descriptor {@code routes/iiko.yaml}): delivery orders of every
 * organization of the connection ({@link IikoOrganizations}), one after the other, each read by revision,
 * or by delivery date when its saved revision is too old for iiko (see {@link IikoCursor}). Every call is a
 * POST with a JSON body; the HTTP client adds the token.
 */
@Component
public class IikoConnector implements Connector {

    private static final Duration TOO_OLD_FOR_IIKO = Duration.ofHours(3);

    private final Clock clock;
    private final ConnectionRepository connections;
    private final SyncRuns runs;
    private final Duration longestWait;

    public IikoConnector(Clock clock, ConnectionRepository connections, SyncRuns runs, HttpRetryProperties http) {
        this.longestWait = http.longestRetryAfter();
        this.clock = clock;
        this.connections = connections;
        this.runs = runs;
    }

    @Override
    public String system() {
        return "iiko";
    }

    @Override
    public HttpClientConfigurer httpClient(PartnerConnection c, RateLimits limits, String apiRoot) {
        IikoTokens tokens = new IikoTokens(c.id(), apiRoot, connections, clock,
                Duration.ofMinutes(c.intSetting("tokenLifetimeMinutes", 60)));
        // 408 is iiko's own timeout (header Timeout, 15 s by default): transient, retried with back-off.
        return new TokenAuthHttpClient(RateLimitedHttpClient.forConnection(c.id(), limits), tokens, "iiko",
                false, Set.of(408), false, longestWait);
    }

    @Override
    public StreamReader reader(StreamSync sync) {
        return new Reader(sync);
    }

    private final class Reader implements StreamReader {

        private final StreamSync sync;
        /** The organizations to read, once known; null until the lookup answered (or the settings named them). */
        private List<String> organizations;
        private int organizationIndex;
        private String organizationId;
        /** What the last call asked: null for the organization lookup. */
        private IikoCursor.Request request;

        Reader(StreamSync sync) {
            this.sync = sync;
        }

        /**
         * The next call as a JSON body. The first call of a run without configured organizations asks which
         * ones the apiLogin sees; then each organization is read in turn from its own position, by revision
         * or by delivery date.
         */
        @Override
        public PartnerRequest next() {
            PartnerConnection c = sync.connection();
            ObjectNode body = PartnerJson.MAPPER.createObjectNode();
            if (organizations == null) {
                List<String> configured = IikoOrganizations.configured(c.settings());
                if (configured.isEmpty()) {
                    request = null;
                    body.putNull("organizationIds");
                    body.put("returnAdditionalInfo", false);
                    body.put("includeDisabled", false);
                    return send("/api/1/organizations", body);
                }
                organizations = configured;
            }
            organizationId = organizations.get(organizationIndex);
            StreamCursor cursor = IikoCursor.of(sync.position(), organizationId);
            Instant now = clock.instant();
            if (!IikoCursor.inWindow(cursor) && IikoCursor.revisionTooOld(cursor, now, maxRevisionAge(c))) {
                String why = cursor.get("revision") == null ? "first sync"
                        : "the saved revision " + cursor.get("revision") + " of " + cursor.get("revisionAt") + " is older than iiko accepts";
                request = IikoCursor.firstChunk(fallback(sync, organizationId, cursor, now, why), now, chunk(c));
            } else {
                request = IikoCursor.next(cursor, now, chunk(c));
            }
            body.putArray("organizationIds").add(organizationId);
            if (request instanceof ByRevision r) {
                body.put("startRevision", r.startRevision());
                body.putNull("sourceKeys");
                return send("/api/1/deliveries/by_revision", body);
            }
            ByDate d = (ByDate) request;
            body.put("deliveryDateFrom", IikoDates.local(d.from(), c.zone()));
            body.put("deliveryDateTo", IikoDates.local(d.to().minusMillis(1), c.zone()));
            body.putNull("statuses");
            body.putNull("sourceKeys");
            return send("/api/1/deliveries/by_delivery_date_and_status", body);
        }

        private static PartnerRequest send(String path, ObjectNode body) {
            return PartnerRequest.to(path).body(PartnerJson.MAPPER.writeValueAsString(body));
        }

        /** Orders to sales; the organization's revision or window chunk to commit with them. */
        @Override
        public Page read(PartnerAnswer answer) throws Exception {
            int code = answer.status();
            if (answer.body() == null) {
                throw new VendorErrorException("iiko answered HTTP " + code + " without a body");
            }
            JsonNode root = PartnerJson.MAPPER.readTree(answer.body());
            StagedPage page = new StagedPage();
            if (request == null) {
                if (code == 400) {
                    throw new VendorErrorException("iiko answered /api/1/organizations with " + iikoError(code, root));
                }
                organizations = IikoOrganizations.fromAnswer(root);
                return new Page(page, Map.of(), true);
            }
            StreamCursor position = IikoCursor.of(sync.position(), organizationId);
            if (code == 400) {
                String description = root.path("errorDescription").asString("");
                if (request instanceof ByRevision r && description.toLowerCase(java.util.Locale.ROOT).contains("revision")) {
                    // iiko refused the revision (too old for it): read the missed time by delivery date instead
                    Fallback f = fallback(sync, organizationId, position, clock.instant(),
                            "iiko refused the saved revision " + r.startRevision() + " (" + iikoError(code, root) + ")");
                    return new Page(page, IikoCursor.forOrganization(organizationId, IikoCursor.startWindow(f)), true);
                }
                throw new VendorErrorException("iiko answered " + iikoError(code, root) + " for organization " + organizationId);
            }
            JsonNode orders = Records.select(root, sync.descriptor().recordSelector(sync.stream()));
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
                organizationIndex++;
                more = organizationIndex < organizations.size();
            }
            return new Page(page, IikoCursor.forOrganization(organizationId, next), more);
        }
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
