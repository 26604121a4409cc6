package ru.svoykrug.hub.analytics;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import ru.svoykrug.hub.analytics.churn.BgNbd;
import ru.svoykrug.hub.analytics.churn.BgNbdParameters;
import ru.svoykrug.hub.analytics.churn.CustomerSummary;
import ru.svoykrug.hub.analytics.churn.Fit;
import ru.svoykrug.hub.analytics.churn.GroupedCustomers;
import ru.svoykrug.hub.analytics.churn.ParetoNbd;
import ru.svoykrug.hub.analytics.churn.ParetoNbdParameters;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.imports.ImportReport;
import ru.svoykrug.hub.imports.SalesFileImport;
import ru.svoykrug.hub.nightly.NightScenario;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The whole CDNOW cohort (CDNOW_master.txt: 23,570 customers, 69,659 purchases) as one partner's history:
 * RFM scores by rank quintile (60 % of the cohort bought on one day only, and must not be lifted to a
 * middle score), and the churn models fitted on every customer of the circle with the default sample.
 * The history is moved two years on (730 days: intervals unchanged) so that it never shares a night
 * with CdnowNightTest's sample, and voided afterwards so later nights of other tests do not carry it.
 */
class CdnowCohortNightTest extends NightScenario {

    private static final String CONNECTION = "cdnow-master";
    private static final int SHIFT_DAYS = 730;
    private static final LocalDate NIGHT = LocalDate.of(1997, 12, 31).plusDays(SHIFT_DAYS);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    SalesFileImport imports;

    @TempDir
    Path dir;

    @AfterEach
    void voidTheCohort() {
        jdbc.update("UPDATE staging.sale SET status = 'VOID', source_changed_at = now() WHERE connection_id = ?", CONNECTION);
    }

    @Test
    void rfmScoresByRankQuintileAndChurnFitsOnTheWholeCohort() throws Exception {
        Map<String, TreeMap<LocalDate, Double>> days = importCohort();
        assertThat(days).hasSize(23_570);
        assertThat(runs.runAndWait(NIGHT, Duration.ofMinutes(10)).getStatus().name()).isEqualTo("COMPLETED");

        rfm(days);
        churn();
    }

    private void rfm(Map<String, TreeMap<LocalDate, Double>> days) {
        // frequency: purchase days in the 365 days to the night (all of the cohort's days up to it)
        Map<String, Integer> frequency = new HashMap<>();
        days.forEach((id, bought) -> frequency.put(id, bought.headMap(NIGHT, true).tailMap(NIGHT.minusDays(364), true).size()));
        int n = frequency.size();
        // independently of the SQL: rank = 1 + the customers with a lower frequency; score = 1 + floor(5 (rank - 1) / n)
        int[] lower = new int[frequency.values().stream().mapToInt(Integer::intValue).max().orElseThrow() + 2];
        frequency.values().forEach(f -> lower[f + 1]++);
        for (int f = 1; f < lower.length; f++) {
            lower[f] += lower[f - 1];
        }
        Map<Integer, Long> expectedShares = new TreeMap<>();
        frequency.values().forEach(f -> expectedShares.merge(1 + 5 * lower[f] / n, 1L, Long::sum));

        Map<Integer, Long> shares = new TreeMap<>();
        jdbc.queryForList("SELECT f, count(*) AS customers FROM core.rfm WHERE scope = ? GROUP BY f", CONNECTION)
                .forEach(r -> shares.put(((Number) r.get("f")).intValue(), ((Number) r.get("customers")).longValue()));
        assertThat(shares).isEqualTo(expectedShares);
        long oneDayOnly = frequency.values().stream().filter(f -> f == 1).count();
        assertThat(oneDayOnly).as("most of the cohort bought on one day").isGreaterThan(n / 2);
        assertThat(shares.get(1)).as("every one-day buyer, and only they, score F = 1").isEqualTo(oneDayOnly);
        assertThat(shares).doesNotContainKey(2); // the one-day group fills the first two quintiles and more: no one scores 2

        // R: the most recent buyers score 5, the longest lapsed 1
        Map<String, Object> extremes = jdbc.queryForMap("""
                SELECT (SELECT min(r) FROM core.rfm WHERE scope = ? AND recency_days = (SELECT min(recency_days) FROM core.rfm WHERE scope = ?)) AS newest,
                       (SELECT max(r) FROM core.rfm WHERE scope = ? AND recency_days = (SELECT max(recency_days) FROM core.rfm WHERE scope = ?)) AS oldest""",
                CONNECTION, CONNECTION, CONNECTION, CONNECTION);
        assertThat(((Number) extremes.get("newest")).intValue()).isEqualTo(5);
        assertThat(((Number) extremes.get("oldest")).intValue()).isEqualTo(1);

        // one-time buyers whose purchase is old (R 1 or 2) are Hibernating, never At Risk
        Map<String, Long> oneTimeOld = new TreeMap<>();
        jdbc.queryForList("SELECT segment, count(*) AS customers FROM core.rfm WHERE scope = ? AND frequency = 1 AND r <= 2 GROUP BY segment",
                CONNECTION).forEach(r -> oneTimeOld.put((String) r.get("segment"), ((Number) r.get("customers")).longValue()));
        assertThat(oneTimeOld.keySet()).containsExactly("Hibernating");
        assertThat(oneTimeOld.get("Hibernating")).isGreaterThan(n / 5L);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM core.rfm WHERE scope = ? AND frequency = 1 AND segment = 'At Risk'",
                Long.class, CONNECTION)).isZero();
    }

    private void churn() {
        List<CustomerSummary> circle = circleSummaries();
        assertThat(circle.size()).as("the circle holds the cohort").isGreaterThanOrEqualTo(23_570);

        JsonNode bg = model("BG/NBD");
        JsonNode pareto = model("Pareto/NBD");
        assertThat(bg.path("customers").asInt()).as("fitted on every customer, not a sample").isEqualTo(circle.size());
        assertThat(pareto.path("customers").asInt()).isEqualTo(circle.size());

        // the same fits with no sample at all, from cold starts
        GroupedCustomers all = GroupedCustomers.of(circle);
        Fit<BgNbdParameters> bgAll = BgNbd.fit(all);
        Fit<ParetoNbdParameters> paretoAll = ParetoNbd.fit(all);
        assertThat(bg.path("logLikelihood").asDouble()).isCloseTo(bgAll.logLikelihood(), within(1e-6));
        assertThat(pareto.path("logLikelihood").asDouble()).isCloseTo(paretoAll.logLikelihood(), within(1e-6));
        assertClose(bg.path("parameters").path("r").asDouble(), bgAll.parameters().r());
        assertClose(bg.path("parameters").path("alpha").asDouble(), bgAll.parameters().alpha());
        assertClose(bg.path("parameters").path("a").asDouble(), bgAll.parameters().a());
        assertClose(bg.path("parameters").path("b").asDouble(), bgAll.parameters().b());
        assertClose(pareto.path("parameters").path("r").asDouble(), paretoAll.parameters().r());
        assertClose(pareto.path("parameters").path("alpha").asDouble(), paretoAll.parameters().alpha());
        assertClose(pareto.path("parameters").path("s").asDouble(), paretoAll.parameters().s());
        assertClose(pareto.path("parameters").path("beta").asDouble(), paretoAll.parameters().beta());
    }

    private static void assertClose(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(1e-4 * Math.abs(expected)));
    }

    /** Every circle customer's summary as of the night, as the churn step builds it (weeks, one purchase a day). */
    private List<CustomerSummary> circleSummaries() {
        List<CustomerSummary> out = new ArrayList<>();
        jdbc.query("""
                SELECT purchase_days - 1 AS x, first_day, last_day, spend_kopecks - first_day_kopecks AS repeat_kopecks
                  FROM core.customer_activity WHERE scope = 'circle' ORDER BY customer_id""", rs -> {
            int x = rs.getInt("x");
            LocalDate first = rs.getDate("first_day").toLocalDate();
            LocalDate last = rs.getDate("last_day").toLocalDate();
            out.add(new CustomerSummary(x, (last.toEpochDay() - first.toEpochDay()) / 7.0,
                    (NIGHT.toEpochDay() - first.toEpochDay()) / 7.0, x == 0 ? Double.NaN : rs.getLong("repeat_kopecks") / 100.0 / x));
        });
        return out;
    }

    /** Imports the cohort, moved on by SHIFT_DAYS; returns each customer's purchase days (and the day's dollars). */
    private Map<String, TreeMap<LocalDate, Double>> importCohort() throws Exception {
        connections.ensure(TestConnections.file(CONNECTION, "CDNOW cohort", "UTC"));
        Map<String, TreeMap<LocalDate, Double>> days = new HashMap<>();
        List<String> rows = new ArrayList<>();
        rows.add("customer_ref,phone,occurred_at,amount");
        List<String> lines = Files.readAllLines(CdnowFiles.MASTER);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+"); // customer id, yyyymmdd, CDs, dollars
            if (f.length < 4) {
                continue;
            }
            LocalDate day = LocalDate.parse(f[1], DateTimeFormatter.BASIC_ISO_DATE).plusDays(SHIFT_DAYS);
            rows.add(f[0] + ",," + day + "," + f[3]); // (the import tells same-day purchases apart by their rank)
            days.computeIfAbsent(f[0], k -> new TreeMap<>()).merge(day, Double.parseDouble(f[3]), Double::sum);
        }
        Path csv = dir.resolve("cdnow-master.csv");
        Files.write(csv, rows);
        ImportReport report = imports.importFile(CONNECTION, csv);
        assertThat(report.badRows()).isEmpty();
        return days;
    }

    private JsonNode model(String name) {
        Map<String, Object> row = jdbc.queryForMap("SELECT parameters::text AS parameters, log_likelihood, customers FROM core.churn_model "
                + "WHERE business_date = ? AND model = ?", NIGHT, name);
        var node = JSON.createObjectNode();
        node.set("parameters", JSON.readTree((String) row.get("parameters")));
        node.put("logLikelihood", ((Number) row.get("log_likelihood")).doubleValue());
        node.put("customers", ((Number) row.get("customers")).intValue());
        return node;
    }
}
