package ru.svoykrug.hub.analytics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import ru.svoykrug.hub.analytics.churn.BgNbd;
import ru.svoykrug.hub.analytics.churn.BgNbdParameters;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The proof of the churn step: CDNOW's sample imported as one partner's history through the import
 * command's service, the night of 1997-09-30 run, and the published results of
 * src/test/resources/cdnow/README.md found in what the night stored.
 */
class CdnowNightTest extends NightScenario {

    private static final Path SAMPLE = CdnowFiles.SAMPLE;
    private static final LocalDate END_OF_CALIBRATION = LocalDate.of(1997, 9, 30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    SalesFileImport imports;

    @TempDir
    Path dir;

    @Test
    void theNightReproducesThePublishedModelsOnCdnow() throws Exception {
        connections.ensure(TestConnections.file("cdnow", "CDNOW", "UTC"));
        Path csv = dir.resolve("cdnow.csv");
        List<String> rows = Files.readAllLines(SAMPLE).stream().map(String::trim).filter(l -> !l.isEmpty()).map(l -> {
            String[] f = l.split("\\s+"); // master id, sample id, yyyymmdd, CDs, dollars
            return f[1] + ",," + f[2].substring(0, 4) + "-" + f[2].substring(4, 6) + "-" + f[2].substring(6) + "," + f[4];
        }).collect(Collectors.toList());
        rows.add(0, "customer_ref,phone,occurred_at,amount");
        Files.write(csv, rows);

        ImportReport report = imports.importFile("cdnow", csv);
        assertThat(report.badRows()).isEmpty();
        assertThat(report.imported()).isEqualTo(6_919);

        // the night before, a circle of forty fitted far from CDNOW's optimum (as a test's night of 1995 once did): no start
        // for tonight's fits, which from there ended at a log-likelihood of -10,924 (BG/NBD) instead of -9,582
        LocalDate dayBefore = END_OF_CALIBRATION.minusDays(1);
        jdbc.update("""
                INSERT INTO core.churn_model (business_date, model, parameters, log_likelihood, customers)
                VALUES (?, 'BG/NBD', '{"r": 80152.67, "alpha": 1013369.58, "a": 2.8471736625696625E-4, "b": 392916.31}', -707.42, 40),
                       (?, 'Pareto/NBD', '{"r": 332103.23, "alpha": 4198703.19, "s": 1.805990849271798E-5, "beta": 167.71}', -707.42, 40),
                       (?, 'Gamma-Gamma', '{"p": 19.53, "q": 88280.41, "gamma": 954776.39}', -100.0, 40)""",
                dayBefore, dayBefore, dayBefore);
        try {
            assertThat(runs.runAndWait(END_OF_CALIBRATION, Duration.ofMinutes(5)).getStatus().name()).isEqualTo("COMPLETED");
        } finally {
            jdbc.update("DELETE FROM core.churn_model WHERE business_date = ?", dayBefore);
        }

        JsonNode bg = model("BG/NBD");
        assertThat(bg.path("customers").asInt()).isEqualTo(2_357);
        assertThat(bg.path("logLikelihood").asDouble()).isCloseTo(-9582.43, within(0.01));
        BgNbdParameters p = new BgNbdParameters(bg.path("parameters").path("r").asDouble(), bg.path("parameters").path("alpha").asDouble(),
                bg.path("parameters").path("a").asDouble(), bg.path("parameters").path("b").asDouble());
        assertThat(p.r()).isCloseTo(0.2426, within(0.0025));
        assertThat(p.alpha()).isCloseTo(4.4137, within(0.045));
        assertThat(p.a()).isCloseTo(0.7930, within(0.008));

        JsonNode pareto = model("Pareto/NBD");
        assertThat(pareto.path("logLikelihood").asDouble()).isCloseTo(-9594.98, within(0.01));
        assertThat(pareto.path("parameters").path("r").asDouble()).isCloseTo(0.553, within(0.0056));
        assertThat(pareto.path("parameters").path("alpha").asDouble()).isCloseTo(10.58, within(0.106));
        assertThat(pareto.path("parameters").path("s").asDouble()).isCloseTo(0.606, within(0.0061));
        assertThat(pareto.path("parameters").path("beta").asDouble()).isCloseTo(11.66, within(0.117));

        JsonNode gg = model("Gamma-Gamma");
        assertThat(gg.path("customers").asInt()).isEqualTo(946);
        assertThat(gg.path("parameters").path("p").asDouble()).isCloseTo(6.25, within(0.0625));
        assertThat(gg.path("parameters").path("q").asDouble()).isCloseTo(3.74, within(0.0374));
        assertThat(gg.path("parameters").path("gamma").asDouble()).isCloseTo(15.44, within(0.155));

        // predictions at the night's BG/NBD fit, as the README lists them (to 1e-3 relative)
        assertThat(BgNbd.expectedPurchases(p, 52)).isCloseTo(1.444, within(1.444e-3));
        Map<String, Object> c1516 = jdbc.queryForMap("""
                SELECT s.repeat_purchases, s.recency_weeks, s.age_weeks FROM core.churn_score s
                  JOIN core.customer_link l ON l.customer_id = s.customer_id AND l.connection_id = 'cdnow' AND l.customer_key = '1516'
                 WHERE s.business_date = ?""", END_OF_CALIBRATION);
        int x = ((Number) c1516.get("repeat_purchases")).intValue();
        double tx = ((Number) c1516.get("recency_weeks")).doubleValue();
        double t = ((Number) c1516.get("age_weeks")).doubleValue();
        assertThat(x).isEqualTo(26);
        assertThat(tx).isCloseTo(30.857, within(0.001));
        assertThat(t).isCloseTo(31.0, within(1e-9));
        assertThat(BgNbd.probabilityAlive(p, x, tx, t)).isCloseTo(0.9689, within(0.9689e-3));
        assertThat(BgNbd.conditionalExpectedPurchases(p, 52, x, tx, t)).isCloseTo(25.757, within(25.757e-3));

        // holdout: mean expected purchases in the next 39 weeks by calibration x
        List<Map<String, Object>> scores = jdbc.queryForList("""
                SELECT s.repeat_purchases, s.recency_weeks, s.age_weeks FROM core.churn_score s
                  JOIN core.customer_link l ON l.customer_id = s.customer_id AND l.connection_id = 'cdnow'
                 WHERE s.business_date = ?""", END_OF_CALIBRATION);
        assertThat(scores).hasSize(2_357);
        double[] published = {0.2251, 0.5231, 1.0441, 1.5203};
        for (int k = 0; k < published.length; k++) {
            int repeat = k;
            double mean = scores.stream().filter(s -> ((Number) s.get("repeat_purchases")).intValue() == repeat)
                    .mapToDouble(s -> BgNbd.conditionalExpectedPurchases(p, 39, repeat, ((Number) s.get("recency_weeks")).doubleValue(),
                            ((Number) s.get("age_weeks")).doubleValue()))
                    .average().orElseThrow();
            assertThat(mean).as("x = %d", k).isCloseTo(published[k], within(published[k] * 1e-3));
        }

        // the scores themselves: Pareto/NBD never calls a one-time buyer certainly alive
        assertThat(jdbc.queryForObject("SELECT max(probability_alive) FROM core.churn_score WHERE business_date = ? AND repeat_purchases = 0",
                Double.class, END_OF_CALIBRATION)).isLessThan(1.0);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM core.churn_score WHERE business_date = ? "
                + "AND abs(churn_risk - (1 - probability_alive)) > 1e-12", Integer.class, END_OF_CALIBRATION)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM core.churn_score WHERE business_date = ? AND expected_value_12m_kopecks IS NULL",
                Integer.class, END_OF_CALIBRATION)).isZero();
    }

    private JsonNode model(String name) {
        Map<String, Object> row = jdbc.queryForMap("SELECT parameters::text AS parameters, log_likelihood, customers FROM core.churn_model "
                + "WHERE business_date = ? AND model = ?", END_OF_CALIBRATION, name);
        var node = JSON.createObjectNode();
        node.set("parameters", JSON.readTree((String) row.get("parameters")));
        node.put("logLikelihood", ((Number) row.get("log_likelihood")).doubleValue());
        node.put("customers", ((Number) row.get("customers")).intValue());
        return node;
    }
}
