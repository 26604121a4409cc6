package ru.svoykrug.hub.connect.bitrix24;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.sync.Connector;
import ru.svoykrug.hub.sync.Page;
import ru.svoykrug.hub.sync.PartnerAnswer;
import ru.svoykrug.hub.sync.PartnerRequest;
import ru.svoykrug.hub.sync.Records;
import ru.svoykrug.hub.sync.StreamReader;
import ru.svoykrug.hub.sync.StreamSync;
import ru.svoykrug.hub.sync.VendorErrorException;
import ru.svoykrug.hub.sync.http.PartnerJson;
import ru.svoykrug.hub.sync.http.RateLimitedHttpClient;
import ru.svoykrug.hub.sync.http.RateLimits;
import ru.svoykrug.hub.sync.http.VendorAnswers;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Auth, paging and mapping of Bitrix24 (descriptor {@code routes/bitrix24.yaml}): contacts and deals of a
 * portal through an inbound webhook, read by {@code DATE_MODIFY} in ascending order (then {@code ID}),
 * 50 a page by {@code start}, until an answer without {@code next}.
 */
@Component
public class Bitrix24Connector implements Connector {

    private static final DateTimeFormatter FILTER_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private final Clock clock;

    public Bitrix24Connector(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String system() {
        return "bitrix24";
    }

    /** {@code <portal>/rest}. A {@code baseUrl} holding a webhook's path is refused: the path is a secret, settings are not. */
    @Override
    public String apiRoot(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (base.contains("/rest/")) {
            throw new IllegalArgumentException("A Bitrix24 baseUrl is the portal's address only; the webhook's user id "
                    + "and code are credentials (userId and webhookCode, or webhookUrl)");
        }
        return base.endsWith("/rest") ? base : base + "/rest";
    }

    @Override
    public HttpClientConfigurer httpClient(PartnerConnection c, RateLimits limits, String apiRoot) {
        return new Bitrix24Webhook.Client(RateLimitedHttpClient.forConnection(c.id(), limits), apiRoot);
    }

    @Override
    public StreamReader reader(StreamSync sync) {
        return new Reader(sync);
    }

    private final class Reader implements StreamReader {

        private final StreamSync sync;
        private final Bitrix24Mapper mapper = new Bitrix24Mapper();
        private Bitrix24Webhook webhook;
        private Bitrix24Cursor cursor;

        Reader(StreamSync sync) {
            this.sync = sync;
        }

        @Override
        public PartnerRequest next() {
            if (cursor == null) {
                webhook = Bitrix24Webhook.of(sync);
                cursor = Bitrix24Cursor.start(sync.position(), clock.instant(), sync.overlap());
            }
            Map<String, String> query = new LinkedHashMap<>();
            if (cursor.from() != null) {
                query.put(sync.descriptor().cursor().field(), FILTER_DATE.format(cursor.from().atZone(sync.connection().zone())));
            }
            query.put("order[DATE_MODIFY]", "ASC");
            query.put("order[ID]", "ASC");
            List<String> fields = Bitrix24Mapper.fields(sync.stream());
            for (int i = 0; i < fields.size(); i++) {
                query.put("select[" + i + "]", fields.get(i));
            }
            query.put(sync.descriptor().paginator().pageParameter(), Integer.toString(cursor.start()));
            return PartnerRequest.toStream().header(Bitrix24Webhook.HEADER, webhook.header()).query(query.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&")));
        }

        @Override
        public Page read(PartnerAnswer answer) throws Exception {
            if (answer.body() == null) {
                throw new VendorErrorException("Bitrix24 answered without a body on " + sync.stream());
            }
            JsonNode root = PartnerJson.MAPPER.readTree(answer.body());
            if (root == null || !root.isObject() || root.has("error")) {
                throw new VendorErrorException("Bitrix24 answered HTTP " + answer.status() + errorCode(root) + " on " + sync.stream());
            }
            String selector = sync.descriptor().recordSelector(sync.stream());
            JsonNode items = Records.select(root, selector);
            if (!items.isArray()) {
                throw new VendorErrorException("Bitrix24 answered without " + selector + " on " + sync.stream());
            }
            StagedPage page = new StagedPage();
            List<Instant> changes = mapper.map(sync.stream(), items, page);
            JsonNode next = root.path("next");
            Integer nextStart = next.canConvertToInt() ? next.asInt() : null;
            cursor = cursor.after(changes, nextStart);
            boolean more = nextStart != null;
            return new Page(page, cursor.position(sync.position(), more), more);
        }

        private static String errorCode(JsonNode root) {
            String code = VendorAnswers.errorCode(root);
            return code == null ? "" : " (error " + code + ")";
        }
    }
}
