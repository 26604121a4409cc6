package ru.svoykrug.hub.analytics.churn;

import java.util.Collection;
import java.util.function.ToDoubleFunction;

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
 * {@link UnseenDropout} computes that term, by the series where they are short and by quadrature where they
 * are not (large s and beta). {@link ParetoNbdScorer} scores a whole customer base.
 */
public final class ParetoNbd {

    /**
     * A cold fit on more customers than twice this first searches on an evenly spread subset of about this
     * many, then finishes on all of them from there. Data without much heterogeneity in dropout have their
     * maximum far out on a flat ridge (s and beta large in proportion); most evaluations of a cold search are
     * spent creeping along it, and on the subset each costs a fraction.
     */
    private static final int PRESEARCH_CUSTOMERS = 5_000;

    private ParetoNbd() {
    }

    /** Log-likelihood of one customer. */
    public static double logLikelihood(ParetoNbdParameters p, int x, double tx, double T) {
        CustomerSummary.checkTriple(x, tx, T);
        double alive = aliveTerm(p, x, Math.log(p.alpha() + T), Math.log(p.beta() + T));
        return commonTerm(p, x) + LogMath.logAddExp(alive, new UnseenDropout(p).log(x, tx, T));
    }

    /**
     * Log-likelihood of a sample, one evaluation per distinct (x, t_x, T) weighted by its count; the terms that
     * depend on x or T alone once per distinct value.
     */
    public static double logLikelihood(ParetoNbdParameters p, GroupedCustomers customers) {
        int[] xs = customers.xLevels();
        double[] byX = new double[xs.length];
        for (int k = 0; k < xs.length; k++) {
            byX[k] = Gamma.logGamma(p.r() + xs[k]) - Gamma.logGamma(p.r());
        }
        double[] logAlphaT = BgNbd.logShifted(p.alpha(), customers.tLevels());
        double[] logBetaT = BgNbd.logShifted(p.beta(), customers.tLevels());
        UnseenDropout dropout = new UnseenDropout(p);
        double sum = 0;
        for (int g = 0; g < customers.groups(); g++) {
            int k = customers.xIndex(g);
            int i = customers.tIndex(g);
            double alive = aliveTerm(p, xs[k], logAlphaT[i], logBetaT[i]);
            double bracket = LogMath.logAddExp(alive, dropout.log(xs[k], customers.tx(g), customers.T(g)));
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
        return fit(customers, null);
    }

    /**
     * Maximum-likelihood fit starting from {@code start}, e.g. the previous night's estimates: from near the
     * optimum the search starts with a small trust region and needs few evaluations. A null start is the cold
     * start of {@link #fit(GroupedCustomers)}.
     */
    public static Fit<ParetoNbdParameters> fit(GroupedCustomers customers, ParetoNbdParameters start) {
        if (start == null && customers.customers() > 2 * PRESEARCH_CUSTOMERS) {
            start = fit(customers.everyNth(customers.customers() / PRESEARCH_CUSTOMERS), null).parameters();
        }
        ToDoubleFunction<double[]> logLikelihood =
                v -> logLikelihood(new ParetoNbdParameters(v[0], v[1], v[2], v[3]), customers);
        LogSpaceMaximizer.Result result;
        if (start == null) {
            double scale = StartValues.rateScale(customers);
            result = LogSpaceMaximizer.maximize(logLikelihood, new double[] {1, scale, 1, scale});
        } else {
            result = LogSpaceMaximizer.maximizeNear(logLikelihood,
                    new double[] {start.r(), start.alpha(), start.s(), start.beta()});
        }
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
        return expectedGivenAlive(p, t, x, T) * probabilityAlive(p, x, tx, T);
    }

    /**
     * P(alive | x, t_x, T) = 1 / (1 + s / (r + s + x) (alpha + T)^(r + x) (beta + T)^s A0): the share of the
     * likelihood bracket that comes from being alive at T. Below 1 for one-time buyers too, and falling with T.
     */
    public static double probabilityAlive(ParetoNbdParameters p, int x, double tx, double T) {
        CustomerSummary.checkTriple(x, tx, T);
        return probabilityAlive(p, new UnseenDropout(p), x, Math.log(p.alpha() + T), Math.log(p.beta() + T), tx, T);
    }

    static double probabilityAlive(ParetoNbdParameters p, UnseenDropout dropout, int x, double logAlphaT,
                                   double logBetaT, double tx, double T) {
        double alive = aliveTerm(p, x, logAlphaT, logBetaT);
        double unseen = dropout.log(x, tx, T);
        // 1 / (1 + e^(unseen - alive)), written so that it neither overflows nor loses the small values.
        double d = unseen - alive;
        return d > 0 ? Math.exp(-d) / (1 + Math.exp(-d)) : 1 / (1 + Math.exp(d));
    }

    /** E[Y(t) | alive at T, x, T]: (r + x) (beta + T) / (alpha + T) [1 - ((beta + T) / (beta + T + t))^(s - 1)] / (s - 1). */
    static double expectedGivenAlive(ParetoNbdParameters p, double t, int x, double T) {
        return (p.r() + x) * perPurchaseRateGivenAlive(p, t, T);
    }

    /** expectedGivenAlive / (r + x): depends on T only, so a scorer computes it once per T. */
    static double perPurchaseRateGivenAlive(ParetoNbdParameters p, double t, double T) {
        return (p.beta() + T) / (p.alpha() + T)
                * Hypergeometric.oneMinusPowerOverExponent(p.s() - 1, -Math.log1p(t / (p.beta() + T)));
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
}
