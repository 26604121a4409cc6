package ru.svoykrug.hub.analytics.churn;

import java.util.Collection;
import java.util.function.ToDoubleFunction;

import org.hipparchus.special.Gamma;

/**
 * The BG/NBD model of Fader, Hardie and Lee (2005), "Counting your customers the easy way": while alive a
 * customer buys at a Poisson rate lambda ~ Gamma(r, alpha); after each purchase they drop out with probability
 * p ~ Beta(a, b). Times are in weeks.
 *
 * <p>Note that the model makes every customer without a repeat purchase alive with probability 1: use
 * {@link ParetoNbd} when one-time buyers need a churn score.
 */
public final class BgNbd {

    private BgNbd() {
    }

    /** Log-likelihood of one customer (equation 6 of the paper, in logs). */
    public static double logLikelihood(BgNbdParameters p, int x, double tx, double T) {
        CustomerSummary.checkTriple(x, tx, T);
        double rx = p.r() + x;
        double common = Gamma.logGamma(rx) - Gamma.logGamma(p.r()) + p.r() * Math.log(p.alpha())
                + logBetaRatio(p, x);
        double alive = -rx * Math.log(p.alpha() + T);
        if (x == 0) {
            return common + alive;
        }
        double droppedAtLast = Math.log(p.a()) - Math.log(p.b() + x - 1) - rx * Math.log(p.alpha() + tx);
        return common + LogMath.logAddExp(alive, droppedAtLast);
    }

    /**
     * Log-likelihood of a sample, one evaluation per distinct (x, t_x, T) weighted by its count; the terms that
     * depend on x, t_x or T alone are computed once per distinct value.
     */
    public static double logLikelihood(BgNbdParameters p, GroupedCustomers customers) {
        int[] xs = customers.xLevels();
        double[] byX = new double[xs.length];
        double[] dropByX = new double[xs.length];
        for (int k = 0; k < xs.length; k++) {
            byX[k] = Gamma.logGamma(p.r() + xs[k]) - Gamma.logGamma(p.r()) + logBetaRatio(p, xs[k]);
            dropByX[k] = xs[k] == 0 ? Double.NEGATIVE_INFINITY : Math.log(p.a()) - Math.log(p.b() + xs[k] - 1);
        }
        double[] logAlphaT = logShifted(p.alpha(), customers.tLevels());
        double[] logAlphaTx = logShifted(p.alpha(), customers.txLevels());
        double sum = 0;
        for (int g = 0; g < customers.groups(); g++) {
            int k = customers.xIndex(g);
            double rx = p.r() + xs[k];
            double alive = -rx * logAlphaT[customers.tIndex(g)];
            double value = xs[k] == 0
                    ? alive
                    : LogMath.logAddExp(alive, dropByX[k] - rx * logAlphaTx[customers.txIndex(g)]);
            sum += customers.count(g) * (byX[k] + value);
        }
        return sum + customers.customers() * p.r() * Math.log(p.alpha());
    }

    /** Maximum-likelihood fit. */
    public static Fit<BgNbdParameters> fit(Collection<CustomerSummary> customers) {
        return fit(GroupedCustomers.of(customers));
    }

    /** Maximum-likelihood fit on grouped customers. */
    public static Fit<BgNbdParameters> fit(GroupedCustomers customers) {
        return fit(customers, null);
    }

    /**
     * Maximum-likelihood fit starting from {@code start}, e.g. the previous night's estimates: from near the
     * optimum the search starts with a small trust region and needs few evaluations. A null start is the cold
     * start of {@link #fit(GroupedCustomers)}.
     */
    public static Fit<BgNbdParameters> fit(GroupedCustomers customers, BgNbdParameters start) {
        ToDoubleFunction<double[]> logLikelihood =
                v -> logLikelihood(new BgNbdParameters(v[0], v[1], v[2], v[3]), customers);
        LogSpaceMaximizer.Result result = start == null
                ? LogSpaceMaximizer.maximize(logLikelihood, new double[] {1, StartValues.rateScale(customers), 1, 1})
                : LogSpaceMaximizer.maximizeNear(logLikelihood, new double[] {start.r(), start.alpha(), start.a(), start.b()});
        double[] v = result.parameters();
        return new Fit<>(new BgNbdParameters(v[0], v[1], v[2], v[3]), result.logLikelihood(),
                customers.customers());
    }

    /** E[X(t)]: expected purchases of a new customer in their first t weeks (after the first purchase). */
    public static double expectedPurchases(BgNbdParameters p, double t) {
        requireHorizon(t);
        return expectedGivenAlive(p, t, 0, 0);
    }

    /** E[Y(t) | x, t_x, T]: expected purchases of an existing customer in the next t weeks. */
    public static double conditionalExpectedPurchases(BgNbdParameters p, double t, int x, double tx, double T) {
        requireHorizon(t);
        CustomerSummary.checkTriple(x, tx, T);
        return expectedGivenAlive(p, t, x, T) * probabilityAlive(p, x, tx, T);
    }

    /** P(alive | x, t_x, T): the probability that the customer has not dropped out by T. */
    public static double probabilityAlive(BgNbdParameters p, int x, double tx, double T) {
        CustomerSummary.checkTriple(x, tx, T);
        if (x == 0) {
            return 1;
        }
        double logOdds = Math.log(p.a()) - Math.log(p.b() + x - 1)
                + (p.r() + x) * (Math.log(p.alpha() + T) - Math.log(p.alpha() + tx));
        return 1 / (1 + Math.exp(logOdds));
    }

    /**
     * (a + b + x - 1) / (a - 1) * [1 - ((alpha + T) / (alpha + T + t))^(r + x) 2F1(r + x, b + x; a + b + x - 1; z)]
     * with z = t / (alpha + T + t): the paper's equation 10 without its P(alive) factor.
     *
     * <p>Written as printed it overflows for large x (the series grows like (1 - z)^-(r + x)) and divides 0 by 0
     * at a = 1. Euler's transformation 2F1(A, B; C; z) = (1 - z)^(C - A - B) 2F1(C - A, C - B; C; z) turns the
     * bracket into 1 - (1 - z)^(a - 1) 2F1(a + b - 1 - r, a - 1; a + b + x - 1; z), whose parameters do not
     * grow with x; the division by (a - 1) is then done exactly, term by term.
     */
    private static double expectedGivenAlive(BgNbdParameters p, double t, int x, double T) {
        if (t == 0) {
            return 0;
        }
        double am1 = p.a() - 1;
        double c = p.a() + p.b() + x - 1;
        double z = t / (p.alpha() + T + t);
        double log1mz = -Math.log1p(t / (p.alpha() + T));
        double series = Hypergeometric.f21MinusOneOverB(p.a() + p.b() - 1 - p.r(), am1, c, z);
        double bracketOverAm1 = Hypergeometric.oneMinusPowerOverExponent(am1, log1mz)
                - Math.exp(am1 * log1mz) * series;
        return c * bracketOverAm1;
    }

    /** log[B(a, b + x) / B(a, b)]. */
    private static double logBetaRatio(BgNbdParameters p, int x) {
        return Gamma.logGamma(p.a() + p.b()) + Gamma.logGamma(p.b() + x)
                - Gamma.logGamma(p.b()) - Gamma.logGamma(p.a() + p.b() + x);
    }

    static double[] logShifted(double shift, double[] values) {
        double[] logs = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            logs[i] = Math.log(shift + values[i]);
        }
        return logs;
    }

    static void requireHorizon(double t) {
        if (!(t >= 0) || Double.isInfinite(t)) {
            throw new IllegalArgumentException("t must be a finite number of weeks >= 0, was " + t);
        }
    }
}
