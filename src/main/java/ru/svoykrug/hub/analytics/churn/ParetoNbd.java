package ru.svoykrug.hub.analytics.churn;

import java.util.Collection;

import org.hipparchus.special.Gamma;

/**
 * The Pareto/NBD model (Schmittlein, Morrison and Colombo 1987): while alive a customer buys at a Poisson rate
 * lambda ~ Gamma(r, alpha) and has an exponential lifetime with rate mu ~ Gamma(s, beta). Times are in weeks.
 *
 * <p>The likelihood follows Fader and Hardie's note "A note on deriving the Pareto/NBD model and related
 * expressions" (2005): with a = r + s + x,
 * <pre>
 * L = Gamma(r + x) alpha^r beta^s / Gamma(r) * [ (alpha + T)^-(r + x) (beta + T)^-s + s / a * A0 ]
 * A0 = F(t_x) - F(T),   F(y) = 2F1(a, b; a + 1; |alpha - beta| / (M + y)) / (M + y)^a
 * </pre>
 * where M = max(alpha, beta) and b = s + 1 when alpha >= beta, r + x otherwise; s / a * A0 equals
 * s * integral from t_x to T of (alpha + y)^-(r + x) (beta + y)^-(s + 1) dy, the chance of dying unseen.
 */
public final class ParetoNbd {

    private ParetoNbd() {
    }

    /** Log-likelihood of one customer. */
    public static double logLikelihood(ParetoNbdParameters p, int x, double tx, double T) {
        CustomerSummary.checkTriple(x, tx, T);
        double alive = aliveTerm(p, x, Math.log(p.alpha() + T), Math.log(p.beta() + T));
        return commonTerm(p, x) + bracket(p, x, alive, tx == T, logF(p, x, tx), logF(p, x, T));
    }

    /**
     * Log-likelihood of a sample, one evaluation per distinct (x, t_x, T) weighted by its count; the
     * hypergeometric terms, the costly part, once per distinct (x, t_x) and (x, T) pair.
     */
    public static double logLikelihood(ParetoNbdParameters p, GroupedCustomers customers) {
        int[] xs = customers.xLevels();
        double[] byX = new double[xs.length];
        for (int k = 0; k < xs.length; k++) {
            byX[k] = Gamma.logGamma(p.r() + xs[k]) - Gamma.logGamma(p.r());
        }
        double[] logFtx = logF(p, xs, customers.txLevels(), customers.xTxPairs());
        double[] logFT = logF(p, xs, customers.tLevels(), customers.xTPairs());
        int[] txPair = customers.xTxPairs().ofGroup();
        int[] tPair = customers.xTPairs().ofGroup();
        double[] logAlphaT = BgNbd.logShifted(p.alpha(), customers.tLevels());
        double[] logBetaT = BgNbd.logShifted(p.beta(), customers.tLevels());
        double sum = 0;
        for (int g = 0; g < customers.groups(); g++) {
            int k = customers.xIndex(g);
            int i = customers.tIndex(g);
            double alive = aliveTerm(p, xs[k], logAlphaT[i], logBetaT[i]);
            double bracket = bracket(p, xs[k], alive, customers.tx(g) == customers.T(g),
                    logFtx[txPair[g]], logFT[tPair[g]]);
            sum += customers.count(g) * (byX[k] + bracket);
        }
        return sum + customers.customers() * (p.r() * Math.log(p.alpha()) + p.s() * Math.log(p.beta()));
    }

    /** Maximum-likelihood fit. */
    public static Fit<ParetoNbdParameters> fit(Collection<CustomerSummary> customers) {
        return fit(GroupedCustomers.of(customers));
    }

    /** Maximum-likelihood fit on grouped customers. */
    public static Fit<ParetoNbdParameters> fit(GroupedCustomers customers) {
        double scale = StartValues.rateScale(customers);
        LogSpaceMaximizer.Result result = LogSpaceMaximizer.maximize(
                v -> logLikelihood(new ParetoNbdParameters(v[0], v[1], v[2], v[3]), customers),
                new double[] {1, scale, 1, scale});
        double[] v = result.parameters();
        return new Fit<>(new ParetoNbdParameters(v[0], v[1], v[2], v[3]), result.logLikelihood(),
                customers.customers());
    }

    /** E[X(t)]: expected purchases of a new customer in their first t weeks (after the first purchase). */
    public static double expectedPurchases(ParetoNbdParameters p, double t) {
        BgNbd.requireHorizon(t);
        // r beta / (alpha (s - 1)) [1 - (beta / (beta + t))^(s - 1)], stable at s = 1 (limit: log).
        return p.r() * p.beta() / p.alpha()
                * Hypergeometric.oneMinusPowerOverExponent(p.s() - 1, -Math.log1p(t / p.beta()));
    }

    /** E[Y(t) | x, t_x, T]: expected purchases of an existing customer in the next t weeks. */
    public static double conditionalExpectedPurchases(ParetoNbdParameters p, double t, int x, double tx,
                                                      double T) {
        BgNbd.requireHorizon(t);
        double givenAlive = (p.r() + x) * (p.beta() + T) / (p.alpha() + T)
                * Hypergeometric.oneMinusPowerOverExponent(p.s() - 1, -Math.log1p(t / (p.beta() + T)));
        return givenAlive * probabilityAlive(p, x, tx, T);
    }

    /**
     * P(alive | x, t_x, T) = 1 / (1 + s / (r + s + x) (alpha + T)^(r + x) (beta + T)^s A0): the share of the
     * likelihood bracket that comes from being alive at T. Below 1 for one-time buyers too, and falling with T.
     */
    public static double probabilityAlive(ParetoNbdParameters p, int x, double tx, double T) {
        CustomerSummary.checkTriple(x, tx, T);
        double alive = aliveTerm(p, x, Math.log(p.alpha() + T), Math.log(p.beta() + T));
        return Math.exp(alive - bracket(p, x, alive, tx == T, logF(p, x, tx), logF(p, x, T)));
    }

    /** log[(alpha + T)^-(r + x) (beta + T)^-s]: the likelihood of the purchases if still alive at T. */
    private static double aliveTerm(ParetoNbdParameters p, int x, double logAlphaT, double logBetaT) {
        return -(p.r() + x) * logAlphaT - p.s() * logBetaT;
    }

    /** log[Gamma(r + x) alpha^r beta^s / Gamma(r)]. */
    private static double commonTerm(ParetoNbdParameters p, int x) {
        return Gamma.logGamma(p.r() + x) - Gamma.logGamma(p.r()) + p.r() * Math.log(p.alpha())
                + p.s() * Math.log(p.beta());
    }

    /**
     * log[ (alpha + T)^-(r + x) (beta + T)^-s + s / (r + s + x) A0 ] from its parts; A0 = F(t_x) - F(T) is 0
     * when the last purchase was at T (no time to die unseen).
     */
    private static double bracket(ParetoNbdParameters p, int x, double alive, boolean lastPurchaseAtT,
                                  double logFtx, double logFT) {
        if (lastPurchaseAtT) {
            return alive;
        }
        double logA0 = LogMath.logSubExp(logFtx, logFT);
        return LogMath.logAddExp(alive, Math.log(p.s() / (p.r() + p.s() + x)) + logA0);
    }

    private static double[] logF(ParetoNbdParameters p, int[] xLevels, double[] yLevels, GroupedCustomers.Pairs pairs) {
        double[] logs = new double[pairs.size()];
        for (int i = 0; i < logs.length; i++) {
            logs[i] = logF(p, xLevels[pairs.xLevel()[i]], yLevels[pairs.yLevel()[i]]);
        }
        return logs;
    }

    /**
     * log F(y), F(y) = 2F1(a, b; a + 1; z) / (M + y)^a with z = |alpha - beta| / (M + y).
     *
     * <p>Summed as printed the series grows like (1 - z)^-b, which overflows when b = r + x and x is large.
     * Euler's transformation (C - A = 1, C - B = a + 1 - b, and 1 - z = (m + y) / (M + y) with m the smaller
     * of alpha and beta) gives F(y) = (m + y)^(1 - b) (M + y)^(b - 1 - a) 2F1(1, a + 1 - b; a + 1; z), a series
     * whose terms fall by a factor below z at each step.
     */
    private static double logF(ParetoNbdParameters p, int x, double y) {
        boolean alphaLarger = p.alpha() >= p.beta();
        double big = alphaLarger ? p.alpha() : p.beta();
        double small = alphaLarger ? p.beta() : p.alpha();
        double a = p.r() + p.s() + x;
        double b = alphaLarger ? p.s() + 1 : p.r() + x;
        double z = (big - small) / (big + y);
        double series = Hypergeometric.f21(1, a + 1 - b, a + 1, z);
        return (1 - b) * Math.log(small + y) + (b - 1 - a) * Math.log(big + y) + Math.log(series);
    }
}
