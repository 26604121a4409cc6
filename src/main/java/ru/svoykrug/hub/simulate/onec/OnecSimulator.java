package ru.svoykrug.hub.simulate.onec;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import ru.svoykrug.hub.simulate.kit.Countdown;
import ru.svoykrug.hub.simulate.kit.LoopbackSimulator;
import ru.svoykrug.hub.simulate.kit.Tally;
import ru.svoykrug.hub.simulate.onec.OnecDataSet.Defect;
import ru.svoykrug.hub.simulate.onec.OnecDataSet.Receipt;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static ru.svoykrug.hub.simulate.kit.Answers.NODES;
import static ru.svoykrug.hub.simulate.kit.Answers.json;
import static ru.svoykrug.hub.simulate.kit.Answers.text;
import static ru.svoykrug.hub.simulate.kit.Requests.intParam;
import static ru.svoykrug.hub.simulate.kit.Requests.param;
import static ru.svoykrug.hub.simulate.kit.Requests.path;

/**
 * A 1C:Enterprise infobase behind its standard OData interface, over real HTTP (WireMock), as
 * CONTRACTS.md describes it: HTTP Basic, {@code $format=json}, Cyrillic entity and field names that
 * must arrive percent-encoded, {@code $filter} on {@code Date} with {@code datetime'...'} literals,
 * {@code $orderby}, {@code $top}/{@code $skip}, the {@code {"odata.metadata", "value"}} envelope,
 * empty references and empty dates.
 *
 * <p>It misbehaves on demand: 406 when no licence is free, 500 in plain text for any {@code $filter},
 * other passwords, and (through its data set) documents that change between two syncs.
 */
public final class OnecSimulator extends LoopbackSimulator {

    public static final String USER = "hub";
    public static final String PASSWORD = "sim-1c-password";
    public static final String BASE = "/trade/odata/standard.odata/";
    public static final String RECEIPTS = "Document_ЧекККМ";
    public static final String CUSTOMERS = "Catalog_Контрагенты";
    public static final String CARDS = "Catalog_ИнформационныеКарты";

    private static final Pattern DATE_FILTER = Pattern.compile("Date ge datetime'([0-9T:-]+)'");
    private static final java.time.format.DateTimeFormatter DATE = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final OnecDataSet data;
    private volatile String password = PASSWORD;
    private volatile boolean filterFails;
    private final Countdown noLicence = new Countdown();

    private enum Seen { REQUESTS, ITEMS, FILTERS }

    private final Tally<Seen> seen = new Tally<>(Seen.class);
    private final List<String> rawPaths = Collections.synchronizedList(new ArrayList<>());

    private OnecSimulator(OnecDataSet data) {
        this.data = data;
        listen(KIND.system(), "/.*");
    }

    public static final Kind KIND = new Kind("onec", OnecSimulator::start);

    /** An infobase whose year of receipts ends at the spec's end (by default now). */
    public static OnecSimulator start(Spec spec) {
        return start(new OnecDataSet(spec.seed(), spec.records(), spec.malformedEvery(), spec.zone(),
                spec.historyEnd() == null ? Instant.now() : spec.historyEnd()));
    }

    public static OnecSimulator start(OnecDataSet data) {
        return new OnecSimulator(data);
    }

    @Override
    public String baseUrl() {
        return origin() + BASE.substring(0, BASE.length() - 1);
    }

    public OnecDataSet data() {
        return data;
    }

    @Override
    public OnecTruth truth() {
        return data.truth();
    }

    @Override
    public String unit() {
        return "receipts (plus a customer and a discount card per five)";
    }

    @Override
    public Map<String, String> benchSettings(Load load) {
        return Map.of("baseUrl", baseUrl(), "requestsPerSecond", "0", "pageSize", Integer.toString(load.pageSize()));
    }

    @Override
    public Map<String, String> credentials() {
        return Map.of("user", USER, "password", PASSWORD);
    }


    // ---- misbehaviour on demand ----------------------------------------------------------------------

    /** From now on every request with a {@code $filter} answers 500 with a plain-text message. */
    public void failFilters(boolean fail) {
        this.filterFails = fail;
    }

    /** The next {@code count} requests find no free licence (406). */
    public void noFreeLicence(int count) {
        noLicence.set(count);
    }

    public void acceptPassword(String password) {
        this.password = password;
    }

    // ---- what it saw ----------------------------------------------------------------------------------

    public long requests() {
        return seen.get(Seen.REQUESTS);
    }

    public long itemsServed() {
        return seen.get(Seen.ITEMS);
    }

    public long filterRequests() {
        return seen.get(Seen.FILTERS);
    }

    /** The request paths exactly as they came over the wire. */
    public List<String> rawPaths() {
        synchronized (rawPaths) {
            return List.copyOf(rawPaths);
        }
    }

    public void resetCounters() {
        seen.reset();
        rawPaths.clear();
    }

    @Override
    protected ResponseDefinition answer(Request request) {
        seen.count(Seen.REQUESTS);
        String rawPath = path(request);
        rawPaths.add(rawPath);
        if (!authorized(request.getHeader("Authorization"))) {
            return aResponse().withStatus(401).withHeader("WWW-Authenticate", "Basic realm=\"1C\"").build();
        }
        if (noLicence.take()) {
            return odataError(406, "Нет свободной лицензии на сеанс");
        }
        if (!rawPath.startsWith(BASE) || !rawPath.chars().allMatch(ch -> ch < 128)) {
            return odataError(404, "Не найден ресурс " + rawPath);
        }
        String entity = URLDecoder.decode(rawPath.substring(BASE.length()), StandardCharsets.UTF_8);
        if (!"json".equals(param(request, "$format"))) {
            return aResponse().withStatus(200).withHeader("Content-Type", "application/atom+xml")
                    .withBody("<feed xmlns=\"http://www.w3.org/2005/Atom\"/>").build();
        }
        String filter = param(request, "$filter");
        if (filter != null) {
            seen.count(Seen.FILTERS);
            if (filterFails) {
                return text(500, "Ошибка выполнения запроса: Неверные параметры {(1, 1)}");
            }
        }
        int top = intParam(request, "$top", Integer.MAX_VALUE);
        int skip = intParam(request, "$skip", 0);
        ArrayNode items = NODES.arrayNode();
        switch (entity) {
            case RECEIPTS -> {
                LocalDateTime from = null;
                if (filter != null) {
                    Matcher m = DATE_FILTER.matcher(filter);
                    if (!m.matches()) {
                        return odataError(400, "Неверный синтаксис $filter");
                    }
                    try {
                        from = LocalDateTime.parse(m.group(1));
                    } catch (DateTimeParseException e) {
                        return odataError(400, "Неверный литерал даты");
                    }
                }
                String orderBy = param(request, "$orderby");
                boolean desc = orderBy != null && orderBy.startsWith("Date desc");
                OnecDataSet.Ordered ordered = data.receiptsFrom(from);
                int size = ordered.size();
                for (int i = skip; i < size && i - skip < top; i++) {
                    items.add(receipt(data.receipt(ordered.get(desc ? size - 1 - i : i))));
                }
            }
            case CUSTOMERS -> {
                for (int id = 1 + skip; id <= data.customerCount && id - 1 - skip < top; id++) {
                    items.add(customer(id));
                }
            }
            case CARDS -> {
                for (int id = 1 + skip; id <= data.customerCount && id - 1 - skip < top; id++) {
                    items.add(card(id));
                }
            }
            default -> {
                return odataError(404, "Не найдена сущность " + entity);
            }
        }
        seen.add(Seen.ITEMS, items.size());
        ObjectNode body = NODES.objectNode();
        body.put("odata.metadata", "http://127.0.0.1/trade/odata/standard.odata/$metadata#" + entity);
        body.set("value", items);
        return json(200, body);
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        return decoded.equals(USER + ":" + password);
    }

    private ObjectNode receipt(Receipt r) {
        ObjectNode n = NODES.objectNode();
        n.put("Ref_Key", data.ref(1, r.id()));
        n.put("DataVersion", OnecDataSet.version(r.id(), r.version()));
        n.put("DeletionMark", r.deletionMark());
        n.put("Number", String.format("ЧК-%07d", r.id()));
        n.put("Date", r.defect() == Defect.EMPTY_DATE ? "0001-01-01T00:00:00" : DATE.format(r.date()));
        n.put("Posted", r.posted());
        n.put("ВидОперации", r.defect() == Defect.UNKNOWN_OPERATION ? "Списание" : r.isReturn() ? "Возврат" : "Продажа");
        if (r.defect() == Defect.BAD_AMOUNT) n.put("СуммаДокумента", "сто рублей");
        else n.put("СуммаДокумента", BigDecimal.valueOf(r.kopecks(), 2));
        n.put("ЧекККМПродажа_Key", r.saleId() == 0 ? "00000000-0000-0000-0000-000000000000" : data.ref(1, r.saleId()));
        n.put("ДисконтнаяКарта_Key", r.cardId() == 0 ? "00000000-0000-0000-0000-000000000000" : data.ref(3, r.cardId()));
        n.put("КассоваяСмена_Key", "00000000-0000-0000-0000-000000000000");
        n.put("ДатаОплаты", "0001-01-01T00:00:00");
        return n;
    }

    private ObjectNode customer(int id) {
        ObjectNode n = NODES.objectNode();
        n.put("Ref_Key", data.ref(2, id));
        n.put("DataVersion", OnecDataSet.version(id, 1));
        n.put("DeletionMark", false);
        n.put("Code", String.format("%09d", id));
        n.put("Description", "Покупатель " + id);
        n.put("Parent_Key", "00000000-0000-0000-0000-000000000000");
        ArrayNode contacts = n.putArray("КонтактнаяИнформация");
        contacts.addObject().put("LineNumber", "1").put("Тип", "Адрес").put("Представление", "г. Москва, ул. Лесная, " + id);
        String phone = OnecDataSet.phoneOf(id);
        if (phone != null) {
            contacts.addObject().put("LineNumber", "2").put("Тип", "Телефон").put("Представление", phone);
        }
        return n;
    }

    private ObjectNode card(int id) {
        ObjectNode n = NODES.objectNode();
        n.put("Ref_Key", data.ref(3, id));
        n.put("DataVersion", OnecDataSet.version(id, 1));
        n.put("DeletionMark", false);
        n.put("Description", "Карта " + id);
        n.put("КодКарты", "20000" + String.format("%08d", id));
        n.put("ВладелецКарты", data.ref(2, id));
        n.put("ВладелецКарты_Type", "StandardODATA.Catalog_Контрагенты");
        return n;
    }

    private ResponseDefinition odataError(int status, String message) {
        ObjectNode body = NODES.objectNode();
        ObjectNode error = body.putObject("odata.error");
        error.put("code", "-1");
        error.putObject("message").put("lang", "ru").put("value", message);
        return json(status, body);
    }
}
