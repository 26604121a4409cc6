package ru.svoykrug.hub.connect.yclients;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connect.ConnectionRepository;
import ru.svoykrug.hub.connect.Connector;
import ru.svoykrug.hub.connect.HistoryFrom;
import ru.svoykrug.hub.connect.PagedChangeCursor;
import ru.svoykrug.hub.connect.PartnerConnection;
import ru.svoykrug.hub.connect.PartnerJson;
import ru.svoykrug.hub.connect.StagedPage;
import ru.svoykrug.hub.connect.StagingWriter.NextPosition;
import ru.svoykrug.hub.connect.StreamSync;
import ru.svoykrug.hub.connect.VendorErrorException;
import tools.jackson.databind.JsonNode;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Auth, paging and mapping for the YCLIENTS route template ({@code routes/yclients.yaml}): clients,
 * records and financial transactions of one company, read by {@code changed_after} with deletions.
 */
@Component("yclients")
public class YclientsConnector implements Connector {

    private static final List<String> STREAMS = List.of("clients", "records", "transactions");

    private final Clock clock;
    private final YclientsUserTokens userTokens;
    private final Map<String, String> baseUrls = new java.util.concurrent.ConcurrentHashMap<>();

    public YclientsConnector(Clock clock, ConnectionRepository connections) {
        this.clock = clock;
        this.userTokens = new YclientsUserTokens(connections);
    }

    @Override
    public String system() {
        return "yclients";
    }

    @Override
    public List<String> streams() {
        return STREAMS;
    }

    @Override
    public int defaultRequestsPerSecond() {
        return 5;
    }

    @Override
    public Map<String, String> templateParameters(PartnerConnection c, String stream, String baseUrl) {
        baseUrls.put(c.id(), baseUrl); // where POST /auth goes, when the user token is to be obtained
        return Map.of("baseUrl", baseUrl, "companyId", c.requiredSetting("companyId"), "path", stream);
    }

    /** Camel step: the request for the stream's next page. */
    public void prepare(Exchange exchange) {
        StreamSync sync = exchange.getProperty(StreamSync.PROPERTY, StreamSync.class);
        PartnerConnection c = sync.connection();
        PagedChangeCursor.Request request = sync.request() == null
                ? PagedChangeCursor.start(sync.position(), clock.instant(), Duration.ofMinutes(c.intSetting("overlapMinutes", 10)))
                : PagedChangeCursor.next(sync.request());
        sync.request(request);

        Map<String, String> query = new LinkedHashMap<>();
        query.put("page", Integer.toString(request.page()));
        query.put("count", Integer.toString(pageSize(c)));
        if (request.changedAfter() != null) {
            query.put("changed_after", YclientsDates.local(request.changedAfter(), c.zone()));
        }
        switch (sync.stream()) {
            case "records" -> query.put("with_deleted", "1");
            case "transactions" -> {
                query.put("start_date", LocalDate.ofInstant(HistoryFrom.of(c, "2015-01-01"), c.zone()).toString());
                query.put("end_date", LocalDate.now(clock.withZone(c.zone())).plusDays(1).toString());
            }
            default -> {
            }
        }
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(null);
        String userToken = userTokens.userToken(c.id(), baseUrls.get(c.id()), Map.of("userToken", sync.optionalCredential("userToken")));
        message.setHeader("Authorization", "Bearer " + sync.credential("partnerToken") + ", User " + userToken);
        message.setHeader("Accept", "application/vnd.yclients.v2+json");
        message.setHeader(Exchange.HTTP_QUERY, query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    /** Camel step: the page's JSON to canonical rows and the cursor position that follows it. */
    public void readPage(Exchange exchange) throws Exception {
        StreamSync sync = exchange.getProperty(StreamSync.PROPERTY, StreamSync.class);
        JsonNode root;
        try (InputStream body = exchange.getMessage().getMandatoryBody(InputStream.class)) {
            root = PartnerJson.MAPPER.readTree(body);
        }
        if (root.has("success") && !root.path("success").asBoolean()) {
            throw new VendorErrorException("YCLIENTS answered success=false on " + sync.stream()); // meta.message is prose
        }
        JsonNode data = root.path("data");
        if (!data.isArray()) {
            throw new VendorErrorException("YCLIENTS answered without a data list on " + sync.stream());
        }
        StagedPage page = new StagedPage();
        new YclientsMapper(sync.connection().zone()).map(sync.stream(), data, page);

        PagedChangeCursor.Request request = sync.request();
        int pageSize = pageSize(sync.connection());
        // /records reports meta.total_count; /transactions and /clients answer meta: [] and end on a short page.
        JsonNode total = root.path("meta").path("total_count");
        boolean more = !data.isEmpty() && (total.canConvertToLong()
                ? (long) request.page() * pageSize < total.asLong()
                : data.size() >= pageSize);
        exchange.setProperty(NextPosition.PROPERTY,
                new NextPosition(PagedChangeCursor.afterPage(sync.position(), request, page.maxChangedAt(), more), more));
        exchange.getMessage().setBody(page);
    }

    private static int pageSize(PartnerConnection c) {
        return c.intSetting("pageSize", 200);
    }
}
