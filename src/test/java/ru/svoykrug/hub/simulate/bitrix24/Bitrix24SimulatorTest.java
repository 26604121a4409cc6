package ru.svoykrug.hub.simulate.bitrix24;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.simulate.Simulators;
import ru.svoykrug.hub.simulate.kit.Simulator.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Bitrix24 simulator's own paging, filters, select, errors and limit, over HTTP as a connector will see them. */
class Bitrix24SimulatorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private Bitrix24Simulator sim;

    @BeforeEach
    void start() {
        sim = (Bitrix24Simulator) Simulators.start("bitrix24", new Spec(7, 260, 0, ZoneId.of("Europe/Moscow"), null));
        sim.liftRateLimit();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void pagesOfFiftyByStartWithNextAndTotalReadEveryDealOnceAndSumToTheTruth() throws Exception {
        List<JsonNode> deals = readAll("crm.deal.list", "order[ID]=ASC");
        assertThat(deals).hasSize(260);
        assertThat(deals.stream().map(d -> d.path("ID").asString()).distinct()).hasSize(260);
        long wonKopecks = 0;
        int won = 0;
        for (JsonNode d : deals) {
            if (d.path("STAGE_SEMANTIC_ID").asString().equals("S")) {
                won++;
                wonKopecks += new BigDecimal(d.path("OPPORTUNITY").asString()).movePointRight(2).longValueExact();
            }
        }
        Bitrix24Truth truth = sim.truth();
        assertThat(won).isEqualTo(truth.completedSales());
        assertThat(wonKopecks).isEqualTo(truth.completedSalesKopecks());

        JsonNode first = call("crm.deal.list", "start=0");
        assertThat(first.path("result").size()).isEqualTo(50);
        assertThat(first.path("next").asInt()).isEqualTo(50);
        assertThat(first.path("total").asInt()).isEqualTo(260);
        JsonNode last = call("crm.deal.list", "start=250");
        assertThat(last.path("result").size()).isEqualTo(10);
        assertThat(last.has("next")).isFalse();
        JsonNode fast = call("crm.deal.list", "start=-1");
        assertThat(fast.path("result").size()).isEqualTo(50);
        assertThat(fast.has("total")).as("start=-1 skips the count").isFalse();
    }

    @Test
    void aFilterOnDateModifyWithItsOrderReturnsOnlyWhatChangedSince() throws Exception {
        List<JsonNode> before = readAll("crm.deal.list", "order[DATE_MODIFY]=ASC");
        String newest = before.get(before.size() - 1).path("DATE_MODIFY").asString();
        assertThat(readAll("crm.deal.list", "filter[>DATE_MODIFY]=" + newest)).isEmpty();

        int open = sim.data().deals(d -> d.semantic().equals("P"), 1)[0];
        sim.data().moveTo(open, "WON");
        int added = sim.data().addWonDeal(3, 150_000);
        List<JsonNode> changed = readAll("crm.deal.list", "filter[>DATE_MODIFY]=" + newest + "&order[DATE_MODIFY]=ASC");
        assertThat(changed).extracting(d -> d.path("ID").asInt()).containsExactly(open, added);
        assertThat(changed.get(1).path("OPPORTUNITY").asString()).isEqualTo("1500.00");
        assertThat(changed).allSatisfy(d -> assertThat(d.path("STAGE_SEMANTIC_ID").asString()).isEqualTo("S"));
        assertThat(OffsetDateTime.parse(changed.get(0).path("DATE_MODIFY").asString()).getOffset().getTotalSeconds())
                .as("ISO 8601 with the portal's offset").isEqualTo(3 * 3600);

        sim.data().delete(added);
        assertThat(readAll("crm.deal.list", "filter[ID]=" + added)).as("a deleted deal is gone from the list").isEmpty();
    }

    @Test
    void phonesComeOnlyWhenSelectedAbsentWhenNoneAndSeveralWhenSeveral() throws Exception {
        JsonNode plain = call("crm.contact.list", "start=0").path("result").get(0);
        assertThat(plain.has("PHONE")).as("multiple fields are not in *").isFalse();
        assertThat(plain.has("LAST_NAME")).isTrue();

        List<JsonNode> contacts = readAll("crm.contact.list", "select[]=ID&select[]=PHONE");
        assertThat(contacts).hasSize(sim.data().contactCount());
        assertThat(contacts).allSatisfy(c -> assertThat(c.has("NAME")).isFalse());
        assertThat(contacts).anySatisfy(c -> assertThat(c.has("PHONE")).isFalse());
        assertThat(contacts).anySatisfy(c -> assertThat(c.path("PHONE").size()).isEqualTo(2));
        JsonNode phone = contacts.stream().filter(c -> c.has("PHONE")).findFirst().orElseThrow().path("PHONE").get(0);
        assertThat(phone.path("TYPE_ID").asString()).isEqualTo("PHONE");
        assertThat(phone.path("VALUE_TYPE").asString()).isEqualTo("WORK");
        assertThat(phone.path("VALUE").asString()).isNotBlank();
    }

    @Test
    void aJsonBodyAsksTheSameAsAQuery() throws Exception {
        JsonNode byQuery = call("crm.deal.list", "filter[>=ID]=40&filter[STAGE_SEMANTIC_ID]=S&select[]=ID&start=0");
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(hook("crm.deal.list.json")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"FILTER\":{\">=ID\":40,\"STAGE_SEMANTIC_ID\":\"S\"},\"SELECT\":[\"ID\"],\"start\":0}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(200);
        JsonNode byBody = JSON.readTree(posted.body());
        assertThat(byBody.path("result")).isEqualTo(byQuery.path("result"));
        assertThat(byBody.path("total")).isEqualTo(byQuery.path("total"));
    }

    @Test
    void malformedDealsAreServedAsTheTruthCountsThem() throws Exception {
        sim.close();
        sim = Bitrix24Simulator.start(new Spec(7, 260, 13, ZoneId.of("Europe/Moscow"), null));
        sim.liftRateLimit();
        int malformed = 0;
        for (JsonNode d : readAll("crm.deal.list", "")) {
            boolean badAmount = !d.path("OPPORTUNITY").asString().matches("\\d+(\\.\\d{2})?");
            boolean badSemantic = !Set.of("S", "F", "P").contains(d.path("STAGE_SEMANTIC_ID").asString());
            boolean badDate = d.path("CLOSEDATE").asString().startsWith("2025-02-30");
            if (badAmount || badSemantic || badDate) malformed++;
        }
        assertThat(malformed).isEqualTo(sim.truth().rejected()).isEqualTo(260 / 13);
    }

    @Test
    void rejectedWebhookUnknownMethodExpiredTokenAndTheLimitAnswerAsTheVendorDoes() throws Exception {
        sim.acceptWebhook("1", "a-new-code");
        assertError(get(hook("crm.deal.list")), 401, "INVALID_CREDENTIALS");
        sim.acceptWebhook(Bitrix24Simulator.USER_ID, Bitrix24Simulator.WEBHOOK_CODE);
        assertError(get(hook("crm.deal.lst")), 404, "ERROR_METHOD_NOT_FOUND");
        assertError(get(sim.baseUrl() + "/rest/crm.deal.list"), 401, "NO_AUTH_FOUND");
        sim.expireAccessToken(true);
        assertError(get(sim.baseUrl() + "/rest/crm.deal.list?auth=" + Bitrix24Simulator.ACCESS_TOKEN), 401, "expired_token");
        assertThat(sim.unauthorized()).isEqualTo(3);

        sim.limit(50, 0); // a bucket that does not drain: the count refused is exact, however slow the machine
        int refused = 0;
        for (int i = 0; i < 60; i++) {
            HttpResponse<String> r = get(hook("crm.deal.list") + "?" + encoded("select[]=ID"));
            if (r.statusCode() == 503) {
                assertError(r, 503, "QUERY_LIMIT_EXCEEDED");
                refused++;
            }
        }
        assertThat(refused).as("a burst of 60 over a bucket of 50").isEqualTo(10);
        assertThat(sim.tooManyRequests()).isEqualTo(refused);
    }

    private List<JsonNode> readAll(String method, String query) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        Set<Integer> starts = new HashSet<>();
        int start = 0;
        while (true) {
            assertThat(starts.add(start)).as("next moves on").isTrue();
            JsonNode page = call(method, (query.isEmpty() ? "" : query + "&") + "start=" + start);
            page.path("result").forEach(all::add);
            if (!page.has("next")) {
                return all;
            }
            start = page.path("next").asInt();
        }
    }

    private JsonNode call(String method, String query) throws Exception {
        HttpResponse<String> r = get(hook(method) + "?" + encoded(query));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String hook(String method) {
        return sim.baseUrl() + "/rest/" + Bitrix24Simulator.USER_ID + "/" + Bitrix24Simulator.WEBHOOK_CODE + "/" + method;
    }

    /** {@code a[>B]=c&d=e} with names and values percent-encoded, as a client sends them. */
    private static String encoded(String query) {
        StringBuilder out = new StringBuilder();
        for (String pair : query.split("&")) {
            int eq = pair.contains("]=") ? pair.indexOf("]=") + 1 : pair.indexOf('='); // filter[>=ID]=40
            out.append(out.isEmpty() ? "" : "&").append(URLEncoder.encode(pair.substring(0, eq), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(JSON.readTree(r.body()).path("error").asString()).isEqualTo(code);
    }
}
