package ru.svoykrug.hub.simulate.renovatio;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import ru.svoykrug.hub.simulate.kit.Answers;
import ru.svoykrug.hub.simulate.kit.Countdown;
import ru.svoykrug.hub.simulate.kit.LoopbackSimulator;
import ru.svoykrug.hub.simulate.kit.Tally;
import ru.svoykrug.hub.simulate.renovatio.RenovatioDataSet.Appointment;
import ru.svoykrug.hub.simulate.renovatio.RenovatioDataSet.Defect;
import ru.svoykrug.hub.simulate.renovatio.RenovatioDataSet.Invoice;
import ru.svoykrug.hub.simulate.renovatio.RenovatioDataSet.Payment;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static ru.svoykrug.hub.simulate.kit.Answers.NODES;
import static ru.svoykrug.hub.simulate.kit.Answers.text;
import static ru.svoykrug.hub.simulate.kit.Requests.form;
import static ru.svoykrug.hub.simulate.kit.Requests.isPost;
import static ru.svoykrug.hub.simulate.kit.Requests.path;

/**
 * A clinic's MIS Renovatio over real HTTP (WireMock), as CONTRACTS.md describes it: {@code POST
 * /api/public/{method}}, form-encoded with {@code api_key}, every answer HTTP 200 with
 * {@code {"error": 0|1, "data": ...}}, appointments by {@code date_updated_from/to}
 * ({@code dd.mm.yyyy hh:mm}), invoices and payments by {@code date_from/to} ({@code dd.mm.yyyy}), prices and counts
 * as strings, and in every record medical text ({@link RenovatioDataSet#SECRETS}).
 *
 * <p>It misbehaves on demand: errors in a 200 (their description quoting a diagnosis), a method the
 * key has no right to, 5xx answers whose body quotes a diagnosis.
 */
public final class RenovatioSimulator extends LoopbackSimulator {

    public static final String API_KEY = "sim-renovatio-key";
    public static final String CLINIC_ID = "3";

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd.MM.yyyy");

    private final RenovatioDataSet data;
    private final Set<String> deniedMethods = ConcurrentHashMap.newKeySet();
    private final Countdown errorsIn200 = new Countdown();
    private final Countdown failures5xx = new Countdown();
    private volatile int failureStatus = 502;

    private enum Seen { REQUESTS, ITEMS }

    private final Tally<Seen> seen = new Tally<>(Seen.class);

    private RenovatioSimulator(RenovatioDataSet data) {
        this.data = data;
        listen(KIND.system(), "/api/public/.*");
    }

    public static final Kind KIND = new Kind("renovatio", RenovatioSimulator::start);

    /** A clinic whose year of appointments ends at the spec's end (by default now). */
    public static RenovatioSimulator start(Spec spec) {
        return start(new RenovatioDataSet(spec.seed(), spec.records(), spec.malformedEvery(), spec.zone(),
                spec.historyEnd() == null ? Instant.now() : spec.historyEnd()));
    }

    public static RenovatioSimulator start(RenovatioDataSet data) {
        return new RenovatioSimulator(data);
    }

    @Override
    public String baseUrl() {
        return origin() + "/api/public";
    }

    public RenovatioDataSet data() {
        return data;
    }

    @Override
    public RenovatioTruth truth() {
        return data.truth();
    }

    @Override
    public String unit() {
        return "appointments (plus an invoice per three, a payment per two), medical";
    }

    @Override
    public boolean medical() {
        return true;
    }

    @Override
    public Map<String, String> benchSettings(Load load) {
        return Map.of("baseUrl", baseUrl(), "requestsPerSecond", "0", "windowDays", Integer.toString(load.windowDays()),
                "historyFrom", LocalDate.now().minusDays(370).toString());
    }

    @Override
    public Map<String, String> credentials() {
        return Map.of("apiKey", API_KEY);
    }


    /** The key has no right to this method any more: {@code {"error":1,"data":{"code":403,...}}} in a 200. */
    public void denyMethod(String method) {
        deniedMethods.add(method);
    }

    public void allowAllMethods() {
        deniedMethods.clear();
    }

    /** The next {@code count} calls answer an error inside a 200, its description quoting a diagnosis. */
    public void errorsIn200(int count) {
        errorsIn200.set(count);
    }

    /** The next {@code count} calls answer 502 with a body that quotes a diagnosis. */
    public void fail5xx(int count) {
        failHttp(502, count);
    }

    /** The next {@code count} calls answer this HTTP status (a proxy in front of the MIS) with a body that quotes a diagnosis. */
    public void failHttp(int status, int count) {
        failureStatus = status;
        failures5xx.set(count);
    }

    public long requests() {
        return seen.get(Seen.REQUESTS);
    }

    public long itemsServed() {
        return seen.get(Seen.ITEMS);
    }

    public void resetCounters() {
        seen.reset();
    }

    @Override
    protected ResponseDefinition answer(Request request) {
        seen.count(Seen.REQUESTS);
        if (failures5xx.take()) {
            return text(failureStatus, "Proxy error " + failureStatus + " while rendering " + RenovatioDataSet.SECRETS.get(0));
        }
        String method = path(request).substring("/api/public/".length());
        if (!isPost(request)) {
            return error(405, "Method must be POST");
        }
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
            return error(400, "Form expected");
        }
        Map<String, String> form = form(request.getBodyAsString());
        if (!API_KEY.equals(form.get("api_key"))) {
            return error(401, "Invalid api_key");
        }
        if (deniedMethods.contains(method)) {
            return error(403, "No access to method");
        }
        if (errorsIn200.take()) {
            return error(500, "Ошибка обработки записи: " + RenovatioDataSet.SECRETS.get(0));
        }
        try {
            return switch (method) {
                case "getAppointments" -> appointments(form);
                case "getPayments" -> payments(form);
                case "getInvoices" -> invoices(form);
                default -> error(404, "Unknown method");
            };
        } catch (DateTimeParseException | NullPointerException e) {
            return error(400, "Invalid date parameters");
        }
    }

    private ResponseDefinition appointments(Map<String, String> form) {
        LocalDateTime from = LocalDateTime.parse(form.get("date_updated_from"), MINUTES);
        LocalDateTime to = LocalDateTime.parse(form.get("date_updated_to"), MINUTES);
        ArrayNode items = NODES.arrayNode();
        for (Appointment a : data.updatedBetween(from, to)) {
            items.add(appointment(a));
        }
        return ok(items);
    }

    private ResponseDefinition payments(Map<String, String> form) {
        LocalDate from = LocalDate.parse(form.get("date_from"), DAY);
        LocalDate to = LocalDate.parse(form.get("date_to"), DAY);
        ArrayNode items = NODES.arrayNode();
        for (int n = 1; n <= data.paymentCount(); n++) {
            Payment p = data.payment(n);
            LocalDate day = p.date().toLocalDate();
            if (!day.isBefore(from) && !day.isAfter(to)) items.add(payment(p));
        }
        return ok(items);
    }

    private ResponseDefinition invoices(Map<String, String> form) {
        LocalDate from = LocalDate.parse(form.get("date_from"), DAY);
        LocalDate to = LocalDate.parse(form.get("date_to"), DAY);
        ArrayNode items = NODES.arrayNode();
        for (int n = 1; n <= data.invoiceCount(); n++) {
            Invoice invoice = data.invoice(n);
            LocalDate day = invoice.date().toLocalDate();
            if (!day.isBefore(from) && !day.isAfter(to)) items.add(invoice(invoice));
        }
        return ok(items);
    }

    private ObjectNode invoice(Invoice i) {
        ObjectNode n = NODES.objectNode();
        n.put("id", i.id());
        n.put("patient_id", i.patientId());
        n.put("appointment_id", i.appointmentId());
        // hosts differ: a date with or without its time, a status as a word or as a code
        n.put("date", i.id() % 5 == 0 ? DAY.format(i.date()) : MINUTES.format(i.date()));
        n.put("value", BigDecimal.valueOf(i.kopecks(), 2).toPlainString());
        if (i.id() % 7 == 0) n.put("status", switch (i.status()) { case "paid" -> 1; case "unpaid" -> 0; default -> 2; });
        else n.put("status", i.status());
        n.putArray("services").addObject().put("title", RenovatioDataSet.SECRETS.get(1))
                .put("price", BigDecimal.valueOf(i.kopecks(), 2).toPlainString()).put("count", "1");
        n.put("comment", RenovatioDataSet.SECRETS.get(4));
        n.put("doctor", RenovatioDataSet.SECRETS.get(2));
        return n;
    }

    private ObjectNode appointment(Appointment a) {
        ObjectNode n = NODES.objectNode();
        if (a.defect() != Defect.NO_ID) n.put("id", a.id());
        n.put("clinic_id", Integer.parseInt(CLINIC_ID));
        n.put("patient_id", a.patientId());
        n.put("patient_name", "Пациент " + a.patientId());
        n.put("patient_phone", RenovatioDataSet.phoneOf(a.patientId()));
        n.put("doctor_id", 100 + a.id() % 7);
        n.put("doctor", RenovatioDataSet.SECRETS.get(2));
        n.put("status", a.defect() == Defect.BAD_STATUS ? "lost" : a.status());
        n.put("time_start", a.defect() == Defect.BAD_TIME ? "31.02.2025 25:70" : MINUTES.format(a.timeStart()));
        n.put("time_end", MINUTES.format(a.timeStart().plusMinutes(30)));
        n.put("date_updated", MINUTES.format(a.updated()));
        ArrayNode services = n.putArray("services");
        for (int i = 0; i < a.priceKopecks().length; i++) {
            ObjectNode s = services.addObject();
            s.put("title", RenovatioDataSet.SECRETS.get(1) + " #" + (i + 1));
            s.put("price", a.defect() == Defect.BAD_PRICE && i == 0 ? "договорная"
                    : BigDecimal.valueOf(a.priceKopecks()[i], 2).toPlainString());
            s.put("count", Integer.toString(a.counts()[i]));
        }
        n.put("diagnosis", RenovatioDataSet.SECRETS.get(0));
        n.put("programme", RenovatioDataSet.SECRETS.get(3));
        n.put("comment", RenovatioDataSet.SECRETS.get(4));
        return n;
    }

    private ObjectNode payment(Payment p) {
        ObjectNode n = NODES.objectNode();
        n.put("id", p.id());
        n.put("patient_id", p.patientId());
        n.put("appointment_id", p.appointmentId());
        if (p.invoiceId() != 0) n.put("invoice_id", p.invoiceId());
        n.put("date", MINUTES.format(p.date()));
        n.put("value", BigDecimal.valueOf(p.kopecks(), 2).toPlainString());
        n.put("type", "cash");
        n.put("service", RenovatioDataSet.SECRETS.get(1));
        n.put("comment", RenovatioDataSet.SECRETS.get(4));
        return n;
    }

    private ResponseDefinition ok(ArrayNode items) {
        seen.add(Seen.ITEMS, items.size());
        ObjectNode body = NODES.objectNode();
        body.put("error", 0);
        body.set("data", items);
        return json(body);
    }

    private ResponseDefinition error(int code, String desc) {
        ObjectNode body = NODES.objectNode();
        body.put("error", 1);
        body.putObject("data").put("code", code).put("desc", desc);
        return json(body);
    }

    private ResponseDefinition json(ObjectNode body) {
        return Answers.json(200, body);
    }
}
