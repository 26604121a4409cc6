package ru.svoykrug.hub.analytics.churn;

/**
 * The Pareto/NBD term for dying unseen between the last purchase and T, for fixed parameters:
 * log[s * integral from t_x to T of (alpha + y)^-(r + x) (beta + y)^-(s + 1) dy].
 *
 * <p>Two ways to it, chosen per customer by cost. The hypergeometric series of {@link ParetoNbd}'s closed form
 * (two tails, F(t_x) - F(T)) is exact and cheap while its argument z = |alpha - beta| / (max + t_x) is well
 * below 1; near 1 (large dropout parameters: s in the hundreds, beta in the tens of thousands) it needs
 * thousands of terms, and {@link PowerProductIntegral} gets the same number from a few dozen points.
 */
final class UnseenDropout {

    /**
     * Series no longer than this are summed; longer ones are left to quadrature. A quadrature point costs
     * three exp/log, about as much as four to six series terms, and a quadrature needs 6 to 24 points.
     */
    private static final int SHORT_SERIES = 48;
    /** log(1e-17): the series stops when a term falls below this share of the sum (at least 1). */
    private static final double LOG_TOLERANCE = Math.log(1e-17);

    private final double logS;
    /** By x: the largest z at which the series is short (see {@link #seriesIsShort}); grown on demand. */
    private double[] shortSeriesLimit = new double[0];
    private final double r;
    private final double s;
    private final boolean alphaLarger;
    private final double small;
    private final double big;

    UnseenDropout(ParetoNbdParameters p) {
        this.logS = Math.log(p.s());
        this.r = p.r();
        this.s = p.s();
        this.alphaLarger = p.alpha() >= p.beta();
        this.small = alphaLarger ? p.beta() : p.alpha();
        this.big = alphaLarger ? p.alpha() : p.beta();
    }

    /** The log of the term; -infinity when t_x = T (no time to die unseen). */
    double log(int x, double tx, double T) {
        if (!(T > tx)) {
            return Double.NEGATIVE_INFINITY;
        }
        // The exponent of the factor with the smaller shift, and of the other.
        double pSmall = alphaLarger ? s + 1 : r + x;
        double qBig = alphaLarger ? r + x : s + 1;
        if (seriesIsShort(x, pSmall, qBig, tx)) {
            double a = r + s + x;
            return logS - Math.log(a) + LogMath.logSubExp(logF(pSmall, a, tx), logF(pSmall, a, T));
        }
        return logS + PowerProductIntegral.log(pSmall, qBig, small, big, tx, T);
    }

    /**
     * Whether the series 2F1(1, q; p + q; z) at y stops within {@link #SHORT_SERIES} terms. Its terms shrink by
     * z (n + q) / (n + p + q) at step n, so by term N they are below z^N ((p + q) / (N + p + q))^p: if that
     * bound is under the tolerance at N, the series is short. (The series at T has a smaller z, so it is short
     * whenever the one at t_x is.)
     */
    private boolean seriesIsShort(int x, double pSmall, double qBig, double y) {
        return (big - small) / (big + y) <= shortSeriesLimit(x, pSmall, qBig);
    }

    /** The z below which N log z - p log(1 + N / (p + q)) <= log(tolerance), N = {@link #SHORT_SERIES}. */
    private double shortSeriesLimit(int x, double pSmall, double qBig) {
        if (x >= shortSeriesLimit.length) {
            int from = shortSeriesLimit.length;
            shortSeriesLimit = java.util.Arrays.copyOf(shortSeriesLimit, Math.max(2 * from, x + 16));
            java.util.Arrays.fill(shortSeriesLimit, from, shortSeriesLimit.length, Double.NaN);
        }
        double limit = shortSeriesLimit[x];
        if (Double.isNaN(limit)) {
            limit = Math.exp((LOG_TOLERANCE + pSmall * Math.log1p(SHORT_SERIES / (pSmall + qBig))) / SHORT_SERIES);
            shortSeriesLimit[x] = limit;
        }
        return limit;
    }

    /**
     * log F(y), F(y) = 2F1(a, b; a + 1; z) / (M + y)^a with z = |alpha - beta| / (M + y), M the larger of alpha
     * and beta and b the exponent of the factor with the smaller shift m (see {@link ParetoNbd}).
     *
     * <p>Summed as printed the series grows like (1 - z)^-b, which overflows when b = r + x and x is large.
     * Euler's transformation (C - A = 1, C - B = a + 1 - b, and 1 - z = (m + y) / (M + y)) gives
     * F(y) = (m + y)^(1 - b) (M + y)^(b - 1 - a) 2F1(1, a + 1 - b; a + 1; z), a series whose terms fall by a
     * factor below z at each step.
     */
    private double logF(double b, double a, double y) {
        double z = (big - small) / (big + y);
        double series = Hypergeometric.f21(1, a + 1 - b, a + 1, z);
        return (1 - b) * Math.log(small + y) + (b - 1 - a) * Math.log(big + y) + Math.log(series);
    }
}
