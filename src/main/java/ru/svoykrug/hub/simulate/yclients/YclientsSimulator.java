package ru.svoykrug.hub.simulate.yclients;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import ru.svoykrug.hub.simulate.LoopbackWireMock;
import ru.svoykrug.hub.simulate.SlidingSecond;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.Client;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.Defect;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.IdList;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.Payment;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.Visit;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * A YCLIENTS company over real HTTP (WireMock), behaving as CONTRACTS.md says the real API does:
 * partner + user token auth, {@code page}/{@code count} paging, {@code changed_after}, {@code with_deleted},
 * {@code meta.total_count} on records but an empty {@code meta: []} on transactions, three date shapes
 * in one object, amounts as strings, {@code client: null}, and 429 above five calls in any second.
 *
 * <p>It can also misbehave on demand: a storm of 429s with a Retry-After, 5xx answers, rejected tokens.
 * It counts what it saw, so a test can prove the hub never went over the limit.
 */
public final class YclientsSimulator implements AutoCloseable {

    public static final String PARTNER_TOKEN = "sim-partner-token";
    public static final String USER_TOKEN = "sim-user-token";
    /** The user whose login and password {@code POST /auth} exchanges for the user token. */
    public static final String LOGIN = "admin@mindal.example";
    public static final String PASSWORD = "sim-password";

    private static final Pattern PATH = Pattern.compile("/api/v1/(records|transactions|clients)/(\\d+)");
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter ISO_COLON = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
    private static final DateTimeFormatter ISO_PLAIN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final YclientsDataSet data;
    private final int companyId;
    private final WireMockServer server;

    private volatile int requestsPerSecond = 5;
    private volatile String acceptedUserToken = USER_TOKEN;
    private final AtomicInteger storm429 = new AtomicInteger();
    private volatile int stormRetryAfterSeconds;
    private final AtomicInteger failures5xx = new AtomicInteger();
    private final SlidingSecond window = new SlidingSecond();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong itemsServed = new AtomicLong();
    private final AtomicLong tooManyRequests = new AtomicLong();
    private final AtomicLong logins = new AtomicLong();
    private volatile long stallMillis;

    private YclientsSimulator(YclientsDataSet data, int companyId) {
        this.data = data;
        this.companyId = companyId;
        this.server = LoopbackWireMock.start("yclients-api", new Api()::answer, "/api/v1/.*");
    }

    /** Starts on a free port of the loopback interface. */
    public static YclientsSimulator start(YclientsDataSet data, int companyId) {
        return new YclientsSimulator(data, companyId);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/api/v1";
    }

    public int companyId() {
        return companyId;
    }

    public YclientsDataSet data() {
        return data;
    }

    // ---- misbehaviour on demand ------------------------------------------------------------------------

    /** The vendor's burst limit; 0 lifts it (the benchmark does, and says so). */
    public void requestsPerSecond(int limit) {
        this.requestsPerSecond = limit;
    }

    /** The next {@code count} calls answer 429, with {@code Retry-After} when {@code retryAfterSeconds > 0}. */
    public void storm429(int count, int retryAfterSeconds) {
        this.stormRetryAfterSeconds = retryAfterSeconds;
        storm429.set(count);
    }

    /** The next {@code count} calls answer a 5xx. */
    public void fail5xx(int count) {
        failures5xx.set(count);
    }

    /** Every answer from now on comes this late (a vendor that hangs); zero for prompt answers again. */
    public void stall(java.time.Duration delay) {
        this.stallMillis = delay.toMillis();
    }

    /** From now on only this user token is accepted (the partner re-issued it, or revoked the hub's). */
    public void acceptUserToken(String token) {
        this.acceptedUserToken = token;
    }

    // ---- what it saw ----------------------------------------------------------------------------------

    /** The most calls that arrived within any one second, 429s included. */
    public synchronized int maxRequestsInAnySecond() {
        return window.most();
    }

    public long requests() {
        return requests.get();
    }

    public long tooManyRequests() {
        return tooManyRequests.get();
    }

    /** Successful {@code POST /auth} calls: user tokens handed out for a login and password. */
    public long logins() {
        return logins.get();
    }

    /** Records, clients and transactions served so far, counted once per time they were sent. */
    public long itemsServed() {
        return itemsServed.get();
    }

    public synchronized void resetCounters() {
        window.reset();
        requests.set(0);
        itemsServed.set(0);
        tooManyRequests.set(0);
    }

    @Override
    public void close() {
        server.stop();
    }

    // ---- the API ----------------------------------------------------------------------------------------

    /** The vendor API: one answer per request. */
    private final class Api {

        ResponseDefinition answer(Request request) {
            ResponseDefinition answer = answerNow(request);
            long stall = stallMillis;
            return stall <= 0 ? answer
                    : com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.like(answer).withFixedDelay((int) stall).build();
        }

        ResponseDefinition answerNow(Request request) {
            requests.incrementAndGet();
            int inWindow = window.arrive();
            if (storm429.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                tooManyRequests.incrementAndGet();
                return error(429, "Too many requests", stormRetryAfterSeconds);
            }
            int limit = requestsPerSecond;
            if (limit > 0 && inWindow > limit) {
                tooManyRequests.incrementAndGet();
                return error(429, "Too many requests", 0);
            }
            if (failures5xx.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return new ResponseDefinition(502, "<html><body>502 Bad Gateway</body></html>");
            }
            String path = request.getUrl().split("\\?", 2)[0];
            String auth = request.getHeader("Authorization");
            if (path.equals("/api/v1/auth")) {
                return login(request, auth);
            }
            if (auth == null || !auth.startsWith("Bearer " + PARTNER_TOKEN)) {
                ObjectNode body = NODES.objectNode();
                body.putObject("errors").put("code", 401).put("message", "Partner authorization failed");
                body.putObject("meta");
                return json(401, body);
            }
            if (!auth.endsWith("User " + acceptedUserToken)) {
                return error(401, "Необходима авторизация пользователя", 0);
            }
            Matcher m = PATH.matcher(path);
            if (!m.matches()) {
                return error(404, "Not found", 0);
            }
            if (Integer.parseInt(m.group(2)) != companyId) {
                return error(403, "Нет доступа к филиалу", 0);
            }
            try {
                return page(m.group(1), request);
            } catch (BadRequest e) {
                return error(400, e.getMessage(), 0);
            }
        }

        /** {@code POST /auth}: the partner token in the header, the user's login and password in a JSON body. */
        private ResponseDefinition login(Request request, String auth) {
            if (!request.getMethod().getName().equals("POST")) {
                return error(405, "Method not allowed", 0);
            }
            if (auth == null || !auth.startsWith("Bearer " + PARTNER_TOKEN)) {
                return error(401, "Partner authorization failed", 0);
            }
            tools.jackson.databind.JsonNode body;
            try {
                body = JSON.readTree(request.getBodyAsString());
            } catch (RuntimeException e) {
                return error(400, "Body is not JSON", 0);
            }
            if (!LOGIN.equals(body.path("login").asString("")) || !PASSWORD.equals(body.path("password").asString(""))) {
                return error(401, "Неверный логин или пароль", 0);
            }
            logins.incrementAndGet();
            ObjectNode user = NODES.objectNode().put("id", 1_234_567).put("user_token", acceptedUserToken)
                    .put("name", "Администратор").put("phone", "79161234567").put("login", LOGIN).put("email", LOGIN)
                    .put("avatar", "https://assets.yclients.com/general/0/01/123.png").put("is_approved", true);
            return json(201, envelope(user, NODES.objectNode()));
        }

        private ResponseDefinition page(String stream, Request request) {
            int page = intParam(request, "page", 1);
            int count = intParam(request, "count", 20);
            if (page < 1 || count < 1 || count > 1000) {
                throw new BadRequest("page and count must be positive, count at most 1000");
            }
            Instant since = null;
            String changedAfter = param(request, "changed_after");
            if (changedAfter != null) {
                try {
                    since = LocalDateTime.parse(changedAfter).atZone(data.zone).toInstant();
                } catch (DateTimeParseException e) {
                    throw new BadRequest("changed_after must look like 2024-03-01T00:00:00");
                }
            }
            LocalDate from = null, to = null;
            if (stream.equals("transactions")) {
                String start = param(request, "start_date"), end = param(request, "end_date");
                if (start == null || end == null) {
                    throw new BadRequest("start_date and end_date are required");
                }
                from = LocalDate.parse(start);
                to = LocalDate.parse(end);
            }
            boolean withDeleted = "1".equals(param(request, "with_deleted"));
            IdList ids = data.changedSince(stream, since);
            ArrayNode items = NODES.arrayNode();
            int first = (page - 1) * count;
            for (int i = first; i < Math.min(ids.size(), first + count); i++) {
                int id = ids.get(i);
                switch (stream) {
                    case "records" -> {
                        Visit v = data.record(id);
                        if (withDeleted || !v.deleted()) items.add(record(v));
                    }
                    case "clients" -> items.add(client(data.client(id)));
                    default -> {
                        Payment p = data.transaction(id);
                        LocalDate day = p.date().toLocalDate();
                        if (!day.isBefore(from) && !day.isAfter(to)) items.add(transaction(p));
                    }
                }
            }
            itemsServed.addAndGet(items.size());
            Object meta = stream.equals("transactions") ? NODES.arrayNode() : NODES.objectNode().put("total_count", ids.size());
            return json(200, envelope(items, (tools.jackson.databind.JsonNode) meta));
        }

        private ObjectNode record(Visit v) {
            ObjectNode r = NODES.objectNode();
            if (v.defect() != Defect.NO_ID) r.put("id", v.id());
            r.put("company_id", companyId);
            ArrayNode services = r.putArray("services");
            for (int i = 0; i < v.serviceKopecks().length; i++) {
                ObjectNode s = services.addObject();
                s.put("id", 1000 + i);
                s.put("title", "Стрижка, укладка #" + (i + 1));
                if (v.defect() == Defect.BAD_AMOUNT && i == 0) s.put("cost", "бесплатно");
                else s.put("cost", BigDecimal.valueOf(v.serviceKopecks()[i], 2));
                s.put("amount", 1);
                s.put("discount", 0);
            }
            if (v.clientId() == null) r.putNull("client");
            else r.set("client", clientRef(v.clientId()));
            // an impossible day (a lenient parser makes it the month's last) or no date at all
            r.put("datetime", v.defect() == Defect.BAD_DATE ? (v.id() % 2 == 0 ? "2025-02-30 10:00:00" : "2025-13-45 99:99:99")
                    : date(v.datetime(), v.id()));
            r.put("create_date", date(v.datetime().minusDays(3), v.id() + 1));
            r.put("last_change_date", date(LocalDateTime.ofInstant(v.lastChange(), data.zone), v.id() + 2));
            r.put("attendance", v.defect() == Defect.BAD_ATTENDANCE ? 7 : v.attendance());
            r.put("deleted", v.deleted());
            r.put("visit_id", 500_000 + v.id());
            r.put("comment", "");
            return r;
        }

        private ObjectNode client(Client c) {
            ObjectNode n = NODES.objectNode();
            if (c.defect() != Defect.NO_ID) n.put("id", c.id());
            n.put("name", c.name());
            n.put("phone", c.phone());
            n.put("email", "");
            n.put("card", "");
            n.put("birth_date", "");
            n.put("spent", 0);
            n.put("visits", 0);
            n.put("last_change_date", date(LocalDateTime.ofInstant(c.lastChange(), data.zone), c.id()));
            return n;
        }

        private ObjectNode clientRef(int clientId) {
            ObjectNode n = NODES.objectNode();
            n.put("id", clientId);
            n.put("name", "Клиент " + clientId);
            n.put("phone", YclientsDataSet.phoneOf(clientId));
            n.put("email", "");
            return n;
        }

        private ObjectNode transaction(Payment p) {
            ObjectNode t = NODES.objectNode();
            t.put("id", Integer.toString(p.id()));
            t.put("document_id", p.documentId());
            t.put("date", p.defect() == Defect.BAD_DATE ? "вчера" : SPACED.format(p.date()));
            t.put("type_id", 1);
            t.putObject("expense").put("id", 1).put("title", "Оказание услуг");
            t.put("amount", p.defect() == Defect.BAD_AMOUNT
                    ? BigDecimal.valueOf(p.kopecks(), 2).toPlainString().replace('.', ',')
                    : BigDecimal.valueOf(p.kopecks(), 2).toPlainString());
            if (p.clientId() == null) t.putNull("client");
            else t.set("client", clientRef(p.clientId()));
            if (p.recordId() == null) t.put("record_id", 0); else t.put("record_id", p.recordId());
            t.put("visit_id", p.recordId() == null ? 0 : 500_000 + p.recordId());
            t.put("deleted", p.deleted());
            t.put("last_change_date", date(LocalDateTime.ofInstant(p.lastChange(), data.zone), p.id()));
            return t;
        }

        /** The three shapes YCLIENTS mixes, chosen by a number so the output stays deterministic. */
        private String date(LocalDateTime local, int n) {
            ZonedDateTime zoned = local.atZone(data.zone);
            return switch (Math.floorMod(n, 3)) {
                case 0 -> SPACED.format(local);
                case 1 -> ISO_COLON.format(zoned);
                default -> ISO_PLAIN.format(zoned);
            };
        }

        private ObjectNode envelope(tools.jackson.databind.JsonNode data, tools.jackson.databind.JsonNode meta) {
            ObjectNode e = NODES.objectNode();
            e.put("success", true);
            e.set("data", data);
            e.set("meta", meta);
            return e;
        }

        private ResponseDefinition error(int status, String message, int retryAfterSeconds) {
            ObjectNode body = NODES.objectNode();
            body.put("success", false);
            body.putNull("data");
            body.putObject("meta").put("message", message);
            ResponseDefinition json = json(status, body);
            if (retryAfterSeconds > 0) {
                return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withHeader("Retry-After", Integer.toString(retryAfterSeconds))
                        .withBody(JSON.writeValueAsString(body)).build();
            }
            return json;
        }

        private ResponseDefinition json(int status, tools.jackson.databind.JsonNode body) {
            return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(JSON.writeValueAsString(body)).build();
        }

        private String param(Request request, String name) {
            var p = request.queryParameter(name);
            return p != null && p.isPresent() ? p.firstValue() : null;
        }

        private int intParam(Request request, String name, int defaultValue) {
            String value = param(request, name);
            try {
                return value == null ? defaultValue : Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new BadRequest(name + " must be a number");
            }
        }
    }

    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
