package ru.svoykrug.hub.connect.yclients;

import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.connections.HistoryFrom;
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
import ru.svoykrug.hub.sync.http.PartnerJson;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Auth, paging and mapping of YCLIENTS (descriptor {@code routes/yclients.yaml}): clients, records and
 * financial transactions of one company, read by {@code changed_after} with deletions.
 */
@Component
public class YclientsConnector implements Connector {

    private final Clock clock;
    private final YclientsUserTokens userTokens;

    public YclientsConnector(Clock clock, ConnectionRepository connections) {
        this.clock = clock;
        this.userTokens = new YclientsUserTokens(connections);
    }

    @Override
    public String system() {
        return "yclients";
    }

    @Override
    public StreamReader reader(StreamSync sync) {
        return new Reader(sync);
    }

    private final class Reader implements StreamReader {

        private final StreamSync sync;
        private PagedChangeCursor.Request request;
        private final RepeatedRecords repeated = new RepeatedRecords();

        Reader(StreamSync sync) {
            this.sync = sync;
        }

        @Override
        public PartnerRequest next() {
            PartnerConnection c = sync.connection();
            request = request == null
                    ? PagedChangeCursor.start(sync.position(), clock.instant(), sync.overlap())
                    : PagedChangeCursor.next(request);
            Map<String, String> query = PagedChangeCursor.pageQuery(sync, request);
            if (request.changedAfter() != null) {
                query.put(sync.descriptor().cursor().field(), YclientsDates.local(request.changedAfter(), c.zone()));
            }
            if (sync.stream().equals("transactions")) {
                query.put("start_date", LocalDate.ofInstant(HistoryFrom.of(c, "2015-01-01"), c.zone()).toString());
                query.put("end_date", LocalDate.now(clock.withZone(c.zone())).plusDays(1).toString());
            }
            String userToken = userTokens.userToken(c.id(), sync.apiRoot(), Map.of("userToken", sync.optionalCredential("userToken")));
            return PartnerRequest.toStream()
                    .header("Authorization", "Bearer " + sync.credential("partnerToken") + ", User " + userToken)
                    .query(query.entrySet().stream()
                            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                            .collect(Collectors.joining("&")));
        }

        @Override
        public Page read(PartnerAnswer answer) throws Exception {
            if (answer.body() == null) {
                throw new VendorErrorException("YCLIENTS answered without a body on " + sync.stream());
            }
            JsonNode root = PartnerJson.MAPPER.readTree(answer.body());
            if (root.has("success") && !root.path("success").asBoolean()) {
                throw new VendorErrorException("YCLIENTS answered success=false on " + sync.stream()); // meta.message is prose
            }
            JsonNode data = Records.select(root, sync.descriptor().recordSelector(sync.stream()));
            if (!data.isArray()) {
                throw new VendorErrorException("YCLIENTS answered without a data list on " + sync.stream());
            }
            StagedPage page = new StagedPage();
            new YclientsMapper(sync.connection().zone()).map(sync.stream(), data, page);

            int pageSize = sync.pageSize();
            // /records reports meta.total_count; /transactions and /clients answer meta: [] and end on a short page.
            JsonNode total = root.path("meta").path("total_count");
            boolean more = !data.isEmpty() && (total.canConvertToLong()
                    ? (long) request.page() * pageSize < total.asLong()
                    : data.size() >= pageSize);
            repeated.read(page.changes());
            return new Page(page, PagedChangeCursor.afterPage(sync.position(), request, page.maxChangedAt(), more,
                    repeated.rewindTo()), more);
        }
    }
}
