package ru.svoykrug.hub.connect.renovatio;

import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.HistoryFrom;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.sync.Connector;
import ru.svoykrug.hub.sync.CredentialsRejectedException;
import ru.svoykrug.hub.sync.Page;
import ru.svoykrug.hub.sync.PartnerAnswer;
import ru.svoykrug.hub.sync.PartnerRequest;
import ru.svoykrug.hub.sync.Records;
import ru.svoykrug.hub.sync.StreamCursor;
import ru.svoykrug.hub.sync.StreamReader;
import ru.svoykrug.hub.sync.StreamSync;
import ru.svoykrug.hub.sync.VendorErrorException;
import ru.svoykrug.hub.sync.http.PartnerJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Transport, windows and mapping of MIS Renovatio (descriptor {@code routes/renovatio.yaml}):
 * completed appointments (sales, by {@code date_updated_from/to}), invoices and payments (by date) of one
 * clinic.
 *
 * <p>Renovatio has no paging: each call reads one date window ({@code windowDays}); a run walks the
 * windows from its cursor to the moment it started. Appointments resume from the last run less an
 * overlap; invoices and payments carry no change time, so they re-read {@code rollingDays} back.
 *
 * <p>Errors arrive as HTTP 200 with {@code "error": 1}: they are errors all the same. Code 401/403 (a
 * key without rights to the method) is a credentials problem. For a medical connection no vendor text
 * reaches an exception message: a vendor's description could carry anything.
 */
@Component
public class RenovatioConnector implements Connector {

    private final Clock clock;
    private final RenovatioInvoices invoices;

    public RenovatioConnector(Clock clock, RenovatioInvoices invoices) {
        this.clock = clock;
        this.invoices = invoices;
    }

    @Override
    public String system() {
        return "renovatio";
    }

    @Override
    public StreamReader reader(StreamSync sync) {
        return new Reader(sync);
    }

    private static String method(StreamSync sync) {
        return sync.streamDescriptor().path();
    }

    /** The window one call reads: {@code [from, to]}, within a run that started at {@code runStartedAt}. */
    record Window(Instant from, Instant to, Instant runStartedAt) {
        boolean last() {
            return !to.isBefore(runStartedAt);
        }
    }

    private final class Reader implements StreamReader {

        private final StreamSync sync;
        private Window window;

        Reader(StreamSync sync) {
            this.sync = sync;
        }

        /** The form for the stream's next window. */
        @Override
        public PartnerRequest next() {
            PartnerConnection c = sync.connection();
            Window previous = window;
            Instant runStartedAt = previous == null ? runStart(sync.position()) : previous.runStartedAt();
            Instant from = previous == null ? startFrom(sync, c) : following(sync.stream(), previous, c);
            window = window(sync.stream(), from, runStartedAt, c, sync.descriptor().paginator().pageSize());

            Map<String, String> form = new LinkedHashMap<>();
            form.put("api_key", sync.credential("apiKey"));
            String clinic = c.setting("clinicId", null);
            if (clinic != null) {
                form.put("clinic_id", clinic);
            }
            if (sync.stream().equals("appointments")) {
                form.put("date_updated_from", RenovatioDates.minutes(window.from(), c.zone()));
                form.put("date_updated_to", RenovatioDates.minutes(window.to(), c.zone()));
                form.put("show_patient_data", "1");
            } else {
                form.put("date_from", RenovatioDates.day(day(window.from(), c)));
                form.put("date_to", RenovatioDates.day(day(window.to(), c)));
            }
            return PartnerRequest.toStream()
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                    .body(form.entrySet().stream()
                            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                            .collect(Collectors.joining("&")));
        }

        /** The window's answer to canonical rows and the cursor position that follows it. */
        @Override
        public Page read(PartnerAnswer answer) throws Exception {
            PartnerConnection c = sync.connection();
            JsonNode root;
            try {
                root = answer.body() == null ? null : PartnerJson.MAPPER.readTree(answer.body());
            } catch (JacksonException e) {
                root = null;
            }
            if (root == null) {
                throw new VendorErrorException("Renovatio answered " + method(sync) + " with something that is not JSON");
            }
            if (root.path("error").asInt(0) != 0) {
                throw vendorError(method(sync), root.path("data"));
            }
            JsonNode data = Records.select(root, sync.descriptor().recordSelector(sync.stream()));
            if (!data.isArray()) {
                throw new VendorErrorException("Renovatio answered " + method(sync) + " without a data list");
            }
            StagedPage page = new StagedPage();
            Map<String, String> knownInvoices = sync.stream().equals("payments")
                    ? invoices.appointments(c.id(), RenovatioMapper.invoicesNamed(data)) : Map.of();
            RenovatioMapper mapper = new RenovatioMapper(c.zone(), c.medical(), window.runStartedAt(), InvoiceStatuses.of(c),
                    knownInvoices);
            mapper.map(sync.stream(), data, page);
            invoices.remember(c.id(), mapper.invoiceLinks);
            if (sync.stream().equals("payments")) {
                // locked before the payments are written: the invoices' transaction locks before it moves payments
                page.beforeRows.add(jdbc -> invoices.lock(jdbc, c.id()));
                page.inTransaction.add(jdbc -> invoices.settle(jdbc, c.id(), page.payments));
            }

            boolean more = !window.last();
            Map<String, String> next = new HashMap<>();
            next.put("inProgress", Boolean.toString(more));
            next.put("from", more ? following(sync.stream(), window, c).toString() : null);
            next.put("runStartedAt", more ? window.runStartedAt().toString() : null);
            if (!more) {
                next.put("watermark", window.runStartedAt().toString());
            }
            return new Page(page, next, more);
        }
    }

    private Instant runStart(StreamCursor cursor) {
        return "true".equals(cursor.get("inProgress"))
                ? Instant.parse(cursor.get("runStartedAt"))
                : clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    }

    private static Instant startFrom(StreamSync sync, PartnerConnection c) {
        StreamCursor cursor = sync.position();
        if ("true".equals(cursor.get("inProgress"))) {
            return Instant.parse(cursor.get("from"));
        }
        String watermark = cursor.get("watermark");
        if (watermark == null) {
            return HistoryFrom.of(c, "2015-01-01");
        }
        Instant mark = Instant.parse(watermark);
        return sync.stream().equals("appointments")
                ? mark.minus(sync.overlap())
                : day(mark, c).minusDays(c.intSetting("rollingDays", 7)).atStartOfDay(c.zone()).toInstant();
    }

    private static Instant following(String stream, Window previous, PartnerConnection c) {
        // date_updated windows meet at a minute read twice (harmless); day windows follow each other
        return stream.equals("appointments") ? previous.to()
                : day(previous.to(), c).plusDays(1).atStartOfDay(c.zone()).toInstant();
    }

    private static Window window(String stream, Instant from, Instant runStartedAt, PartnerConnection c, int defaultDays) {
        int days = c.intSetting("windowDays", defaultDays);
        Instant to;
        if (stream.equals("appointments")) {
            to = from.plus(Duration.ofDays(days));
        } else {
            to = day(from, c).plusDays(days - 1L).atStartOfDay(c.zone()).toInstant();
        }
        return new Window(from, to.isAfter(runStartedAt) ? runStartedAt : to, runStartedAt);
    }

    private static LocalDate day(Instant instant, PartnerConnection c) {
        return instant.atZone(c.zone()).toLocalDate();
    }

    private static RuntimeException vendorError(String method, JsonNode data) {
        int code = data.path("code").asInt(0);
        // not desc: the vendor's prose may quote the request; its code says enough
        if (code == 401 || code == 403) {
            return new CredentialsRejectedException("Renovatio refused " + method + " to this key (error "
                    + code + " in a 200)");
        }
        return new VendorErrorException("Renovatio answered " + method + " with error " + code + " in a 200");
    }
}
