package ru.svoykrug.hub.analytics.churn;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step "churn": fits BG/NBD, Pareto/NBD and Gamma-Gamma on the circle's purchase history up to the
 * business date (purchases of one day count once, time in weeks), keeps the fitted parameters and
 * log-likelihoods of the night, and scores every customer: probability alive by Pareto/NBD (BG/NBD
 * calls every one-time buyer alive), expected purchases in the next 90 days, expected average spend
 * (Gamma-Gamma) and 12-month value. Churn risk = 1 - probability alive. The night runs it in the step's
 * transaction.
 */
@Component
public class ChurnScoring {

    private static final Logger log = LoggerFactory.getLogger(ChurnScoring.class);
    private static final double WEEKS_90_DAYS = 90 / 7.0;
    private static final int WEEKS_12_MONTHS = 52;
    private static final int MIN_CUSTOMERS = 10;
    private static final int MIN_REPEAT_BUYERS = 5;
    private static final int BATCH = 10_000;

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final int fitSample;

    ChurnScoring(JdbcTemplate jdbc, JsonMapper json, ChurnSettings settings) {
        this.fitSample = settings.fitSample();
        LogSpaceMaximizer.timeBudget(Duration.ofSeconds(settings.fitSeconds()));
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Fits the models of the business date and scores every customer; says how many were read and scored. */
    public Scored score(LocalDate date) {
        // Scores are kept for the last night only, as RFM (the warehouse keeps every night's): emptied rather
        // than deleted, so that a night's million rows neither pile up nor leave dead rows for vacuum, and
        // loaded before their key is built. The models, a few rows a night, keep their history (the next
        // night's fits start from them).
        jdbc.execute("TRUNCATE core.churn_score");
        jdbc.update("DELETE FROM core.churn_model WHERE business_date = ?", date);

        List<Long> ids = new ArrayList<>();
        List<CustomerSummary> customers = new ArrayList<>();
        readSummaries(date, ids, customers);

        long repeatBuyers = customers.stream().filter(c -> c.x() > 0).count();
        if (customers.size() < MIN_CUSTOMERS || repeatBuyers < MIN_REPEAT_BUYERS) {
            String reason = customers.size() + " customers, " + repeatBuyers + " repeat buyers: too few to fit a model";
            log.warn("Night of {}: churn models not fitted ({})", date, reason);
            for (String model : List.of("BG/NBD", "Pareto/NBD", "Gamma-Gamma")) {
                saveModel(date, model, Map.of("skipped", reason), null, customers.size());
            }
            return new Scored(customers.size(), 0);
        }

        List<CustomerSummary> fitted = sample(customers, fitSample);
        GroupedCustomers grouped = GroupedCustomers.of(fitted);
        // last night's optimum is a few steps from tonight's: the fits start there when there is one
        List<CustomerSummary> spenders = fitted.stream().filter(c -> c.x() == 0 || c.meanRepeatValue() > 0).toList();
        BgNbdParameters bgStart = lastNight(date, "BG/NBD", BgNbdParameters.class, fitted.size());
        ParetoNbdParameters paretoStart = lastNight(date, "Pareto/NBD", ParetoNbdParameters.class, fitted.size());
        GammaGammaParameters ggStart = lastNight(date, "Gamma-Gamma", GammaGammaParameters.class,
                spenders.stream().filter(c -> c.x() > 0).count());
        long started = System.nanoTime();
        Fit<BgNbdParameters> bg = BgNbd.fit(grouped, bgStart);
        long bgMillis = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        Fit<ParetoNbdParameters> pareto = ParetoNbd.fit(grouped, paretoStart);
        long paretoMillis = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        // Gamma-Gamma needs a positive mean spend: a repeat buyer whose purchases were all refunded or free is left out
        Fit<GammaGammaParameters> gg = GammaGamma.fit(spenders, ggStart);
        long ggMillis = (System.nanoTime() - started) / 1_000_000;
        log.info("Night of {}: fits took {} ms (BG/NBD), {} ms (Pareto/NBD), {} ms (Gamma-Gamma) on {} customers ({})",
                date, bgMillis, paretoMillis, ggMillis, fitted.size(), paretoStart == null ? "cold start" : "from last night's");
        saveModel(date, "BG/NBD", bg.parameters(), bg.logLikelihood(), bg.customers());
        saveModel(date, "Pareto/NBD", pareto.parameters(), pareto.logLikelihood(), pareto.customers());
        saveModel(date, "Gamma-Gamma", gg.parameters(), gg.logLikelihood(), gg.customers());
        log.info("Night of {}: BG/NBD {} (LL {}), Pareto/NBD {} (LL {}), Gamma-Gamma {} on {} repeat buyers", date,
                bg.parameters(), bg.logLikelihood(), pareto.parameters(), pareto.logLikelihood(), gg.parameters(), gg.customers());

        boolean spendModelUsable = gg.parameters().q() > 1;
        started = System.nanoTime();
        jdbc.queryForList("SELECT core.suspend_indexes_if_empty('core.churn_score')");
        long scores = saveScores(date, ids, customers, pareto.parameters(), gg.parameters(), spendModelUsable);
        jdbc.queryForList("SELECT core.restore_indexes()");
        log.info("Night of {}: {} customers scored and written in {} ms", date, scores, (System.nanoTime() - started) / 1_000_000);
        return new Scored(customers.size(), scores);
    }

    /**
     * Four population parameters need a hundred thousand customers, not millions: past {@code fitSample}
     * customers the models are fitted on exactly {@code fitSample} of them, evenly spread over the
     * customers in id order (the i-th of the sample is customer floor(i * n / fitSample), so the same data
     * give the same fit), and every customer is then scored.
     */
    static List<CustomerSummary> sample(List<CustomerSummary> customers, int fitSample) {
        int n = customers.size();
        if (n <= fitSample) {
            return customers;
        }
        List<CustomerSummary> subset = new ArrayList<>(fitSample);
        for (int i = 0; i < fitSample; i++) {
            subset.add(customers.get((int) ((long) i * n / fitSample)));
        }
        log.info("Churn models fitted on {} of {} customers, evenly spread", subset.size(), n);
        return subset;
    }

    /**
     * Per customer, from the activity step: purchase days up to the business date, one purchase a day, values in
     * roubles. Customers without consent (privacy.unconsented) are neither fitted on nor scored.
     */
    private void readSummaries(LocalDate date, List<Long> ids, List<CustomerSummary> out) {
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    SELECT customer_id, purchase_days - 1 AS x, first_day, last_day,
                           spend_kopecks - first_day_kopecks AS repeat_kopecks
                      FROM core.customer_activity a
                     WHERE scope = 'circle'
                       AND NOT EXISTS (SELECT 1 FROM privacy.unconsented u WHERE u.customer_id = a.customer_id)
                     ORDER BY customer_id""");
            ps.setFetchSize(10_000);
            return ps;
        }, rs -> {
            int x = rs.getInt("x");
            LocalDate first = rs.getDate("first_day").toLocalDate();
            LocalDate last = rs.getDate("last_day").toLocalDate();
            double tx = (last.toEpochDay() - first.toEpochDay()) / 7.0;
            double age = (date.toEpochDay() - first.toEpochDay()) / 7.0;
            double mean = x == 0 ? Double.NaN : rs.getLong("repeat_kopecks") / 100.0 / x;
            ids.add(rs.getLong("customer_id"));
            out.add(new CustomerSummary(x, tx, age, mean));
        });
    }

    private long saveScores(LocalDate date, List<Long> ids, List<CustomerSummary> customers, ParetoNbdParameters pareto,
                            GammaGammaParameters gg, boolean spendModelUsable) {
        long written = 0;
        ParetoNbdScorer scorer = new ParetoNbdScorer(pareto, WEEKS_90_DAYS, WEEKS_12_MONTHS);
        double[] s = new double[3];
        for (int from = 0; from < customers.size(); from += BATCH) {
            int to = Math.min(customers.size(), from + BATCH);
            int n = to - from;
            Long[] id = new Long[n];
            Integer[] x = new Integer[n];
            Double[] tx = new Double[n], age = new Double[n], alive = new Double[n], risk = new Double[n], next90 = new Double[n];
            Long[] average = new Long[n], value12m = new Long[n];
            for (int i = 0; i < n; i++) {
                CustomerSummary c = customers.get(from + i);
                id[i] = ids.get(from + i);
                x[i] = c.x();
                tx[i] = c.tx();
                age[i] = c.T();
                scorer.score(c.x(), c.tx(), c.T(), s);
                alive[i] = s[0];
                risk[i] = 1 - alive[i];
                next90[i] = s[1];
                if (spendModelUsable) {
                    double spend = GammaGamma.conditionalExpectedAverageValue(gg, c.x(), c.x() > 0 ? Math.max(0, c.meanRepeatValue()) : Double.NaN);
                    double purchases12m = s[2];
                    average[i] = Math.round(spend * 100);
                    value12m[i] = Math.round(purchases12m * spend * 100);
                }
            }
            written += jdbc.execute((Connection con) -> {
                try (PreparedStatement ps = con.prepareStatement("""
                        INSERT INTO core.churn_score (business_date, customer_id, repeat_purchases, recency_weeks, age_weeks,
                                                      probability_alive, churn_risk, expected_purchases_90d,
                                                      expected_average_kopecks, expected_value_12m_kopecks)
                        SELECT ?, s.* FROM unnest(?::bigint[], ?::int[], ?::float8[], ?::float8[], ?::float8[], ?::float8[],
                                                  ?::float8[], ?::bigint[], ?::bigint[]) AS s""")) {
                    ps.setDate(1, Date.valueOf(date));
                    ps.setArray(2, con.createArrayOf("int8", id));
                    ps.setArray(3, con.createArrayOf("int4", x));
                    ps.setArray(4, con.createArrayOf("float8", tx));
                    ps.setArray(5, con.createArrayOf("float8", age));
                    ps.setArray(6, con.createArrayOf("float8", alive));
                    ps.setArray(7, con.createArrayOf("float8", risk));
                    ps.setArray(8, con.createArrayOf("float8", next90));
                    ps.setArray(9, con.createArrayOf("int8", average));
                    ps.setArray(10, con.createArrayOf("int8", value12m));
                    return (long) ps.executeUpdate();
                }
            });
        }
        return written;
    }

    /**
     * The parameters of the last night before this one that fitted the model, or null: only a night of the week
     * before, fitted on between half and twice tonight's customers, is a few steps from tonight's optimum. From a
     * night on another circle (a night for an earlier date on a few customers, then the real one) the search
     * ended far below the maximum: CDNOW's BG/NBD at a log-likelihood of -10,924 instead of -9,582.
     */
    private <P> P lastNight(LocalDate date, String model, Class<P> type, long customers) {
        List<String> found = jdbc.queryForList("""
                SELECT parameters::text FROM core.churn_model
                 WHERE model = ? AND business_date < ? AND business_date >= ? AND log_likelihood IS NOT NULL
                   AND customers BETWEEN ? AND ?
                 ORDER BY business_date DESC LIMIT 1""", String.class, model, date, date.minusDays(7), customers / 2, customers * 2);
        return found.isEmpty() ? null : json.readValue(found.get(0), type);
    }

    private void saveModel(LocalDate date, String model, Object parameters, Double logLikelihood, int customers) {
        Map<String, Object> values = parameters instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map)
                : json.convertValue(parameters, LinkedHashMap.class);
        jdbc.update("INSERT INTO core.churn_model (business_date, model, parameters, log_likelihood, customers) VALUES (?, ?, ?::jsonb, ?, ?)",
                date, model, json.writeValueAsString(values), logLikelihood, customers);
    }

    /** Customers read (the circle's), scores written. */
    public record Scored(long customers, long scores) {
    }
}
