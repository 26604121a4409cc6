package ru.svoykrug.hub.analytics.churn;

import java.util.List;

/**
 * Scores customers with fitted Pareto/NBD parameters: P(alive) and the expected purchases over a few fixed
 * horizons, for a whole customer base at once. Gives what {@link ParetoNbd#probabilityAlive} and
 * {@link ParetoNbd#conditionalExpectedPurchases} give, with the work shared: P(alive), the costly part, once
 * per customer for all horizons, and what depends on the parameters and horizons alone once per scorer.
 * Not for concurrent use (it caches by x as it goes): one scorer per thread, they are cheap to make.
 */
public final class ParetoNbdScorer {

    private final ParetoNbdParameters parameters;
    private final double[] horizons;
    private final UnseenDropout dropout;

    /** @param horizonsWeeks the horizons t of E[Y(t) | x, t_x, T], in weeks (e.g. 90 / 7.0 and 52) */
    public ParetoNbdScorer(ParetoNbdParameters parameters, double... horizonsWeeks) {
        for (double t : horizonsWeeks) {
            BgNbd.requireHorizon(t);
        }
        this.parameters = parameters;
        this.horizons = horizonsWeeks.clone();
        this.dropout = new UnseenDropout(parameters);
    }

    /**
     * Scores of every customer, in input order.
     *
     * @param probabilityAlive  P(alive | x, t_x, T) of each customer
     * @param expectedPurchases for each horizon h (in the order given to the constructor), E[Y(t_h) | x, t_x, T]
     *                          of each customer: {@code expectedPurchases[h][customer]}
     */
    public record Scores(double[] probabilityAlive, double[][] expectedPurchases) {
    }

    /** Scores of customers given as parallel arrays. */
    public Scores score(int[] x, double[] tx, double[] T) {
        if (x.length != tx.length || x.length != T.length) {
            throw new IllegalArgumentException("x, tx and T must have the same length");
        }
        Scores scores = new Scores(new double[x.length], new double[horizons.length][x.length]);
        double[] one = new double[1 + horizons.length];
        for (int i = 0; i < x.length; i++) {
            score(x[i], tx[i], T[i], one);
            store(scores, i, one);
        }
        return scores;
    }

    /** Scores of customer summaries. */
    public Scores score(List<CustomerSummary> customers) {
        int n = customers.size();
        Scores scores = new Scores(new double[n], new double[horizons.length][n]);
        double[] one = new double[1 + horizons.length];
        for (int i = 0; i < n; i++) {
            CustomerSummary c = customers.get(i);
            score(c.x(), c.tx(), c.T(), one);
            store(scores, i, one);
        }
        return scores;
    }

    /**
     * Scores of one customer into {@code out}: P(alive) at index 0, then E[Y(t_h)] at 1 + h for each horizon.
     */
    public void score(int x, double tx, double T, double[] out) {
        CustomerSummary.checkTriple(x, tx, T);
        ParetoNbdParameters p = parameters;
        double alive = ParetoNbd.probabilityAlive(p, dropout, x, Math.log(p.alpha() + T), Math.log(p.beta() + T), tx, T);
        out[0] = alive;
        for (int h = 0; h < horizons.length; h++) {
            out[1 + h] = ParetoNbd.expectedGivenAlive(p, horizons[h], x, T) * alive;
        }
    }

    private static void store(Scores scores, int i, double[] one) {
        scores.probabilityAlive[i] = one[0];
        for (int h = 0; h < scores.expectedPurchases.length; h++) {
            scores.expectedPurchases[h][i] = one[1 + h];
        }
    }
}
