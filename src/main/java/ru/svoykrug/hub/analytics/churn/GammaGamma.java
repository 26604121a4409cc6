package ru.svoykrug.hub.analytics.churn;

import java.util.Collection;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

import org.hipparchus.special.Gamma;

/**
 * The Gamma-Gamma spend model (Fader, Hardie and Lee 2005, "RFM and CLV"; Colombo and Jiang 1999): the values
 * of a customer's purchases are Gamma(p, nu) with nu ~ Gamma(q, gamma) across customers, independent of how
 * often they buy. Fitted on repeat buyers only, from x and the mean value of their x repeat purchases.
 */
public final class GammaGamma {

    private GammaGamma() {
    }

    /**
     * Log-likelihood of one customer's mean repeat value m over x purchases:
     * Gamma(px + q) / (Gamma(px) Gamma(q)) gamma^q m^(px - 1) x^(px) / (gamma + m x)^(px + q).
     */
    public static double logLikelihood(GammaGammaParameters g, int x, double meanValue) {
        requireRepeatBuyer(x, meanValue);
        double px = g.p() * x;
        return Gamma.logGamma(px + g.q()) - Gamma.logGamma(px) - Gamma.logGamma(g.q()) + g.q() * Math.log(g.gamma())
                + (px - 1) * Math.log(meanValue) + px * Math.log(x) - (px + g.q()) * Math.log(g.gamma() + meanValue * x);
    }

    /**
     * Maximum-likelihood fit on the repeat buyers among {@code customers} (x > 0); the others carry no spend
     * information for this model and are skipped. {@link Fit#customers()} counts the repeat buyers used.
     *
     * @throws IllegalArgumentException when a repeat buyer's mean value is not positive (Gamma spend has
     *                                  positive support: filter refunds and free visits out first)
     */
    public static Fit<GammaGammaParameters> fit(Collection<CustomerSummary> customers) {
        return fit(customers, null);
    }

    /**
     * Maximum-likelihood fit starting from {@code start}, e.g. the previous night's estimates, with a small
     * first trust region; a null start is the cold start of {@link #fit(Collection)}.
     */
    public static Fit<GammaGammaParameters> fit(Collection<CustomerSummary> customers, GammaGammaParameters start) {
        RepeatBuyers buyers = RepeatBuyers.of(customers);
        ToDoubleFunction<double[]> logLikelihood = v -> buyers.logLikelihood(new GammaGammaParameters(v[0], v[1], v[2]));
        LogSpaceMaximizer.Result result = start == null
                ? LogSpaceMaximizer.maximize(logLikelihood, buyers.startValues())
                : LogSpaceMaximizer.maximizeNear(logLikelihood, new double[] {start.p(), start.q(), start.gamma()});
        double[] v = result.parameters();
        return new Fit<>(new GammaGammaParameters(v[0], v[1], v[2]), result.logLikelihood(), buyers.size());
    }

    /**
     * E[M | x, m]: the expected value of this customer's future purchases, a weighted mean of the population
     * mean p gamma / (q - 1) and the customer's own mean m, weights (q - 1) and p x. For x = 0 (pass NaN as
     * mean) it is the population mean. A repeat buyer whose repeat purchases average 0 (all refunded, or
     * free) gets the formula's answer p gamma / (p x + q - 1), below the population mean and the lower the
     * more such purchases: the formula holds at m = 0 (only the likelihood, with its log m, does not, so the
     * fit leaves such buyers out).
     *
     * @throws IllegalArgumentException when q <= 1: the population mean spend is then infinite
     */
    public static double conditionalExpectedAverageValue(GammaGammaParameters g, int x, double meanValue) {
        if (!(g.q() > 1)) {
            throw new IllegalArgumentException("q must exceed 1 for a finite expected spend, was " + g.q());
        }
        if (x == 0) {
            return g.p() * g.gamma() / (g.q() - 1);
        }
        if (x < 0) {
            throw new IllegalArgumentException("x must not be negative, was " + x);
        }
        if (!(meanValue >= 0) || Double.isInfinite(meanValue)) {
            throw new IllegalArgumentException("mean repeat value must be zero or positive and finite, was " + meanValue);
        }
        return g.p() * (g.gamma() + x * meanValue) / (g.p() * x + g.q() - 1);
    }

    /**
     * Customer lifetime value over the next {@code weeks} weeks: expected purchases times
     * {@link #conditionalExpectedAverageValue expected value per purchase}, each week's expected purchases
     * discounted by (1 + weeklyDiscountRate)^-k at the end of week k (k = 1..weeks). With a rate of 0 this is
     * plainly E[Y(weeks)] * E[M].
     *
     * @param expectedPurchasesWithin the customer's expected purchases in the next t weeks, from either model,
     *                                e.g. {@code t -> BgNbd.conditionalExpectedPurchases(params, t, x, tx, T)}
     */
    public static double customerLifetimeValue(GammaGammaParameters g, CustomerSummary customer,
                                               DoubleUnaryOperator expectedPurchasesWithin, int weeks,
                                               double weeklyDiscountRate) {
        if (weeks < 0) {
            throw new IllegalArgumentException("weeks must not be negative, was " + weeks);
        }
        if (!(weeklyDiscountRate >= 0) || Double.isInfinite(weeklyDiscountRate)) {
            throw new IllegalArgumentException("discount rate must be finite and >= 0, was " + weeklyDiscountRate);
        }
        double value = conditionalExpectedAverageValue(g, customer.x(), customer.meanRepeatValue());
        if (weeklyDiscountRate == 0) {
            return weeks == 0 ? 0 : expectedPurchasesWithin.applyAsDouble(weeks) * value;
        }
        double total = 0;
        double previous = 0;
        for (int k = 1; k <= weeks; k++) {
            double cumulative = expectedPurchasesWithin.applyAsDouble(k);
            total += (cumulative - previous) / Math.pow(1 + weeklyDiscountRate, k);
            previous = cumulative;
        }
        return total * value;
    }

    static void requireRepeatBuyer(int x, double meanValue) {
        if (x <= 0) {
            throw new IllegalArgumentException("Gamma-Gamma needs a repeat buyer (x > 0), was x = " + x);
        }
        if (!(meanValue > 0) || Double.isInfinite(meanValue)) {
            throw new IllegalArgumentException("mean repeat value must be positive and finite, was " + meanValue);
        }
    }
}
