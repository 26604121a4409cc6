package ru.svoykrug.hub.connect.onec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.HistoryFrom;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.staging.MappingException;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.sync.Connector;
import ru.svoykrug.hub.sync.CredentialsRejectedException;
import ru.svoykrug.hub.sync.Page;
import ru.svoykrug.hub.sync.PartnerAnswer;
import ru.svoykrug.hub.sync.PartnerRequest;
import ru.svoykrug.hub.sync.Records;
import ru.svoykrug.hub.sync.StreamCursor;
import ru.svoykrug.hub.sync.StreamDescriptor;
import ru.svoykrug.hub.sync.StreamReader;
import ru.svoykrug.hub.sync.StreamSync;
import ru.svoykrug.hub.sync.SyncRuns;
import ru.svoykrug.hub.sync.VendorErrorException;
import ru.svoykrug.hub.sync.http.PausedByVendorException;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Auth, paging and mapping of 1C:Enterprise OData (descriptor {@code routes/onec.yaml}):
 * customers, then discount cards and receipts (one stream, cards first, so that a receipt's card owner
 * is known when the receipt is staged) of one infobase.
 *
 * <p>1C has no change cursor. Receipts are read by {@code Date} from a rolling window that reaches
 * {@code rollingDays} before the last complete run (documents are back-dated, re-posted, un-posted);
 * catalogs are scanned whole. Only objects whose {@code DataVersion} differs from the one remembered
 * reach staging. When the server cannot run a {@code $filter} (500 in plain text), receipts are
 * scanned newest first with {@code $top}/{@code $skip} until the window's start. A 406 means no
 * licence is free: the run pauses and the next one goes on from the cursor. A 429 or another 5xx is
 * retried by the partner-http error handler like any vendor's.
 */
@Component
public class OnecConnector implements Connector {

    private static final Logger log = LoggerFactory.getLogger(OnecConnector.class);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final Clock clock;
    private final OnecLedger ledger;
    private final SyncRuns runs;

    public OnecConnector(Clock clock, OnecLedger ledger, SyncRuns runs) {
        this.clock = clock;
        this.ledger = ledger;
        this.runs = runs;
    }

    @Override
    public String system() {
        return "onec";
    }

    @Override
    public StreamReader reader(StreamSync sync) {
        return new Reader(sync);
    }

    /**
     * Where one page request stands. {@code phase} is what is read: the customers stream reads "customers";
     * the receipts stream first reads the discount "cards" and then the "receipts", so that every receipt
     * finds its card's owner known.
     */
    record Request(String phase, int skip, LocalDateTime windowFrom, boolean scan, Instant runStartedAt) {
    }

    /** What a page staged, remembered once it is committed: the entity's versions and the cards. */
    private record Staged(String entity, Map<String, String> versions, List<OnecLedger.Card> cards) {
    }

    private final class Reader implements StreamReader {

        private final StreamSync sync;
        private Request request;
        private Staged staged;

        Reader(StreamSync sync) {
            this.sync = sync;
        }

        /** The request for the stream's next page. */
        @Override
        public PartnerRequest next() {
            PartnerConnection c = sync.connection();
            if (request == null) {
                request = start(sync, c);
            }
            OnecNames names = OnecNames.of(c);
            StreamDescriptor.Paginator paginator = sync.descriptor().paginator();
            Map<String, String> query = new LinkedHashMap<>();
            query.put("$format", "json");
            if (request.phase().equals("receipts")) {
                if (request.scan()) {
                    query.put("$orderby", "Date desc,Ref_Key");
                } else {
                    query.put("$filter", "Date ge datetime'" + LOCAL.format(request.windowFrom()) + "'");
                    query.put("$orderby", "Date,Ref_Key");
                }
            } else {
                query.put("$orderby", "Ref_Key");
            }
            query.put(paginator.sizeParameter(), Integer.toString(sync.pageSize()));
            query.put(paginator.pageParameter(), Integer.toString(request.skip()));
            String basic = sync.credential("user") + ":" + sync.credential("password");
            return PartnerRequest.to(encode(names.entity(request.phase())))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)))
                    .header("Accept", "application/json")
                    .query(query.entrySet().stream()
                            .map(e -> e.getKey() + "=" + encode(e.getValue()))
                            .collect(Collectors.joining("&")));
        }

        /** A 500 in plain text to a {@code $filter}: the server cannot run it; the reader scans instead. */
        @Override
        public boolean readsFailure(int status, String body) {
            return status >= 500 && request != null && !request.scan() && request.phase().equals("receipts")
                    && !OnecAnswers.isJson(body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        }

        /** The answer to canonical rows, or the decision what to do instead. */
        @Override
        public Page read(PartnerAnswer answer) throws Exception {
            int status = answer.status();
            byte[] body = answer.bytes();
            if (status == 406) {
                throw new PausedByVendorException("1C has no free licence for a new session (HTTP 406); the next run goes on");
            }
            if (status == 401 || status == 403) {
                throw new CredentialsRejectedException("1C refused the infobase user (HTTP " + status + ")");
            }
            if (status >= 500) {
                String note = "1C could not run $filter on " + OnecNames.of(sync.connection()).receiptEntity()
                        + " (HTTP " + status + " in plain text); read by an ordered scan with $top/$skip instead";
                log.warn("Connection {}: {}", sync.connection().id(), note);
                runs.note(sync.runId(), note);
                request = new Request("receipts", 0, request.windowFrom(), true, request.runStartedAt());
                return Page.askAgain();
            }
            if (status != 200) {
                throw new VendorErrorException("1C answered HTTP " + status + " on " + sync.stream() + OnecAnswers.said(sync, body));
            }
            JsonNode value = Records.select(OnecAnswers.parse(body), sync.descriptor().recordSelector(sync.stream()));
            if (!value.isArray()) {
                throw new VendorErrorException("1C answered without a value list on " + sync.stream());
            }
            return map(value);
        }

        /** After the page is committed: the versions and cards it carried. */
        @Override
        public void committed(Page page) {
            String id = sync.connection().id();
            ledger.saveCards(id, staged.cards());
            ledger.remember(id, staged.entity(), staged.versions());
        }

        private Page map(JsonNode items) {
            PartnerConnection c = sync.connection();
            OnecNames names = OnecNames.of(c);
            String phase = request.phase();
            String entity = names.entity(phase);
            OnecMapper mapper = new OnecMapper(names, c.zone(), request.runStartedAt());
            int pageSize = sync.pageSize();

            List<JsonNode> inWindow = new ArrayList<>();
            boolean pastWindow = false;
            for (JsonNode item : items) {
                if (request.scan()) {
                    LocalDateTime date = safeDate(item);
                    if (date != null && date.isBefore(request.windowFrom())) {
                        pastWindow = true;
                        continue;
                    }
                }
                inWindow.add(item);
            }
            Set<String> refs = inWindow.stream().map(i -> OnecValues.ref(i, "Ref_Key")).filter(r -> r != null)
                    .collect(Collectors.toSet());
            Map<String, String> known = ledger.versions(c.id(), entity, refs);
            Map<String, String> owners = phase.equals("receipts")
                    ? ledger.cardOwners(c.id(), inWindow.stream().map(i -> OnecValues.ref(i, names.receiptCardField()))
                            .filter(r -> r != null).collect(Collectors.toSet()))
                    : Map.of();

            StagedPage page = new StagedPage();
            Map<String, String> remember = new HashMap<>();
            List<OnecLedger.Card> cards = new ArrayList<>();
            page.read(items.size());
            for (JsonNode item : inWindow) {
                String ref = OnecValues.ref(item, "Ref_Key");
                String version = OnecValues.text(item, "DataVersion");
                if (ref != null && version != null && version.equals(known.get(ref))) {
                    continue;
                }
                try {
                    switch (phase) {
                        case "receipts" -> mapper.receipt(item, owners, page);
                        case "customers" -> page.customers.add(mapper.customer(item));
                        default -> cards.add(mapper.card(item));
                    }
                    if (ref != null) {
                        page.mapped.add(ref);
                    }
                } catch (MappingException e) {
                    page.rejected.add(StagedPage.Rejected.of(ref, item, e));
                }
                if (ref != null && version != null) {
                    remember.put(ref, version);
                }
            }

            boolean morePages = items.size() >= pageSize && !pastWindow;
            Request following = morePages
                    ? new Request(phase, request.skip() + pageSize, request.windowFrom(), request.scan(), request.runStartedAt())
                    : phase.equals("cards")
                    ? new Request("receipts", 0, request.windowFrom(), false, request.runStartedAt())
                    : null;
            boolean more = following != null;
            Map<String, String> next = new HashMap<>();
            if (more) {
                next.put("inProgress", "true");
                next.put("phase", following.phase());
                next.put("skip", Integer.toString(following.skip()));
                next.put("windowFrom", following.windowFrom() == null ? null : LOCAL.format(following.windowFrom()));
                next.put("scan", following.scan() ? "true" : null);
                next.put("runStartedAt", following.runStartedAt().toString());
            } else {
                next.put("inProgress", "false");
                next.put("phase", null);
                next.put("skip", null);
                next.put("windowFrom", null);
                next.put("scan", null);
                next.put("runStartedAt", null);
                next.put("watermark", request.runStartedAt().toString());
            }
            staged = new Staged(entity, remember, cards);
            request = following;
            return new Page(page, next, more);
        }
    }

    private Request start(StreamSync sync, PartnerConnection c) {
        StreamCursor cursor = sync.position();
        if ("true".equals(cursor.get("inProgress"))) {
            // resume one page early: the page after the last committed one may have shifted
            int skip = Math.max(0, Integer.parseInt(cursor.get("skip")) - sync.pageSize());
            String from = cursor.get("windowFrom");
            return new Request(cursor.get("phase") == null ? sync.stream() : cursor.get("phase"), skip,
                    from == null ? null : LocalDateTime.parse(from), "true".equals(cursor.get("scan")),
                    Instant.parse(cursor.get("runStartedAt")));
        }
        Instant now = clock.instant();
        String watermark = cursor.get("watermark");
        LocalDateTime from = watermark == null
                ? LocalDateTime.ofInstant(HistoryFrom.of(c, "2000-01-01"), c.zone()) // 1C dates are the server's local time
                : LocalDateTime.ofInstant(Instant.parse(watermark), c.zone())
                        .minusDays(c.intSetting("rollingDays", 7)).toLocalDate().atStartOfDay();
        boolean receipts = sync.stream().equals("receipts");
        return new Request(receipts ? "cards" : sync.stream(), 0, receipts ? from : null, false, now);
    }

    private static LocalDateTime safeDate(JsonNode item) {
        try {
            return OnecValues.date(item, "Date");
        } catch (MappingException e) {
            return null;
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

}
