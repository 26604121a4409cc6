package ru.svoykrug.hub.connect.renovatio;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connect.Connector;
import ru.svoykrug.hub.connect.CredentialsRejectedException;
import ru.svoykrug.hub.connect.HistoryFrom;
import ru.svoykrug.hub.connect.PartnerConnection;
import ru.svoykrug.hub.connect.PartnerJson;
import ru.svoykrug.hub.connect.StagedPage;
import ru.svoykrug.hub.connect.StagingWriter.NextPosition;
import ru.svoykrug.hub.connect.StreamCursor;
import ru.svoykrug.hub.connect.StreamSync;
import ru.svoykrug.hub.connect.VendorErrorException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Transport, windows and mapping for the MIS Renovatio route template ({@code routes/renovatio.yaml}):
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
@Component("renovatio")
public class RenovatioConnector implements Connector {

    private static final List<String> STREAMS = List.of("appointments", "invoices", "payments");
    private static final String WINDOW = "hubRenovatioWindow";

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
    public List<String> streams() {
        return STREAMS;
    }

    @Override
    public int defaultRequestsPerSecond() {
        return 3; // unpublished; clinics' own hosts are small
    }

    @Override
    public Map<String, String> templateParameters(PartnerConnection c, String stream, String baseUrl) {
        return Map.of("baseUrl", baseUrl, "method", method(stream));
    }

    private static String method(String stream) {
        return switch (stream) {
            case "appointments" -> "getAppointments";
            case "payments" -> "getPayments";
            case "invoices" -> "getInvoices";
            default -> throw new IllegalArgumentException("Unknown Renovatio stream " + stream);
        };
    }

    /** The window one call reads: {@code [from, to]}, within a run that started at {@code runStartedAt}. */
    record Window(Instant from, Instant to, Instant runStartedAt) {
        boolean last() {
            return !to.isBefore(runStartedAt);
        }
    }

    /** Camel step: the form for the stream's next window. */
    public void prepare(Exchange exchange) {
        StreamSync sync = exchange.getProperty(StreamSync.PROPERTY, StreamSync.class);
        PartnerConnection c = sync.connection();
        Window previous = exchange.getProperty(WINDOW, Window.class);
        Instant runStartedAt = previous == null ? runStart(sync.position()) : previous.runStartedAt();
        Instant from = previous == null ? startFrom(sync, c) : next(sync.stream(), previous, c);
        Window window = window(sync.stream(), from, runStartedAt, c);
        exchange.setProperty(WINDOW, window);

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
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded; charset=UTF-8");
        message.setHeader("Accept", "application/json");
        message.setBody(form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
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
                ? mark.minus(Duration.ofMinutes(c.intSetting("overlapMinutes", 10)))
                : day(mark, c).minusDays(c.intSetting("rollingDays", 7)).atStartOfDay(c.zone()).toInstant();
    }

    private static Instant next(String stream, Window previous, PartnerConnection c) {
        // date_updated windows meet at a minute read twice (harmless); day windows follow each other
        return stream.equals("appointments") ? previous.to()
                : day(previous.to(), c).plusDays(1).atStartOfDay(c.zone()).toInstant();
    }

    private static Window window(String stream, Instant from, Instant runStartedAt, PartnerConnection c) {
        int days = c.intSetting("windowDays", 30);
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

    /** Camel step: the window's answer to canonical rows and the cursor position that follows it. */
    public void readPage(Exchange exchange) throws Exception {
        StreamSync sync = exchange.getProperty(StreamSync.PROPERTY, StreamSync.class);
        PartnerConnection c = sync.connection();
        Window window = exchange.getProperty(WINDOW, Window.class);
        JsonNode root;
        try (InputStream body = exchange.getMessage().getMandatoryBody(InputStream.class)) {
            root = PartnerJson.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new VendorErrorException("Renovatio answered " + method(sync.stream()) + " with something that is not JSON");
        }
        if (root.path("error").asInt(0) != 0) {
            throw vendorError(c, sync.stream(), root.path("data"));
        }
        JsonNode data = root.path("data");
        if (!data.isArray()) {
            throw new VendorErrorException("Renovatio answered " + method(sync.stream()) + " without a data list");
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
        next.put("from", more ? next(sync.stream(), window, c).toString() : null);
        next.put("runStartedAt", more ? window.runStartedAt().toString() : null);
        if (!more) {
            next.put("watermark", window.runStartedAt().toString());
        }
        exchange.setProperty(NextPosition.PROPERTY, new NextPosition(next, more));
        exchange.getMessage().setBody(page);
    }

    private static RuntimeException vendorError(PartnerConnection c, String stream, JsonNode data) {
        int code = data.path("code").asInt(0);
        // not desc: the vendor's prose may quote the request; its code says enough
        if (code == 401 || code == 403) {
            return new CredentialsRejectedException("Renovatio refused " + method(stream) + " to this key (error "
                    + code + " in a 200)");
        }
        return new VendorErrorException("Renovatio answered " + method(stream) + " with error " + code + " in a 200");
    }
}
