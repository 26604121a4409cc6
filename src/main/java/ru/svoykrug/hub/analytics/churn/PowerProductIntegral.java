package ru.svoykrug.hub.analytics.churn;

import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * log of the integral from y0 to y1 of (m + y)^-p (M + y)^-q dy, m <= M, by one Gauss-Legendre rule in
 * v = log((m + y) / (m + y0)).
 *
 * <p>Why this variable: the factor with the nearer singularity becomes an exact exponential e^((1 - p) v), and
 * what is left, (z0 + w0 e^v)^-q with z0 = (M - m) / (M + y0) and w0 = 1 - z0, is smooth in a strip of half
 * width pi around the real axis whatever M / m is. The log of the integrand is concave, so it has one peak,
 * found in closed form; the part that lies more than e^-40 below the peak is cut off (where the integrand is
 * log-concave that part weighs less than e^-40 of the whole), and the rule's size follows from how far the
 * integrand falls over what is left. Summed relative to the peak: nothing overflows or underflows, however
 * large p and q, and all terms are positive, so nothing cancels.
 *
 * <p>Pareto/NBD needs this where its hypergeometric series converge slowly (argument near 1: large dropout
 * parameters); a few dozen evaluations of the integrand then replace thousands of series terms.
 */
final class PowerProductIntegral {

    /**
     * Rule sizes, and for each the largest fall of the integrand (total variation of its log) it integrates to
     * about 1e-14: measured on e^(-k v) and e^(-c v^2), the shapes a log-concave integrand lies between.
     */
    private static final int[] SIZES = {6, 8, 10, 12, 14, 16, 20, 24, 32, 48, 64};
    private static final double[] MAX_FALL = {0.3, 0.8, 2.2, 4.5, 8, 12, 27, 45, 80, 300, 500};
    /**
     * And the longest interval in v each rule integrates as accurately: the integrand is analytic in the strip
     * |Im v| < pi, so a rule of n points converges like rho^-2n with rho the largest Bernstein ellipse inside
     * the strip. The strip is taken narrower (2.5 for pi) to keep away from the singularity, where the factor
     * with exponent -q grows.
     */
    private static final double[] MAX_LENGTH = new double[SIZES.length];
    private static final double STRIP = 2.5;
    /** log(1e15) / 2: rho^-2n below 1e-15. */
    private static final double HALF_LOG_ACCURACY = 17.5;
    /** Beyond this many (natural) log units below the peak the integrand is left out. */
    private static final double CUT = 40;
    private static final double[][] NODES = new double[SIZES.length][];
    private static final double[][] WEIGHTS = new double[SIZES.length][];

    static {
        GaussIntegratorFactory factory = new GaussIntegratorFactory();
        for (int k = 0; k < SIZES.length; k++) {
            GaussIntegrator rule = factory.legendre(SIZES[k]);
            // rho = b + sqrt(1 + b^2) with b = 2 STRIP / length reaches rho^n = e^17.5 when b = sinh(17.5 / n).
            MAX_LENGTH[k] = 2 * STRIP / Math.sinh(HALF_LOG_ACCURACY / SIZES[k]);
            NODES[k] = new double[SIZES[k]];
            WEIGHTS[k] = new double[SIZES[k]];
            for (int i = 0; i < SIZES[k]; i++) {
                // on [0, 1]
                NODES[k][i] = (rule.getPoint(i) + 1) / 2;
                WEIGHTS[k][i] = rule.getWeight(i) / 2;
            }
        }
    }

    private PowerProductIntegral() {
    }

    /** log of the integral; -infinity when y1 <= y0. Needs p > 0, q > 0, 0 < m <= M, 0 <= y0. */
    static double log(double p, double q, double m, double bigM, double y0, double y1) {
        if (!(y1 > y0)) {
            return Double.NEGATIVE_INFINITY;
        }
        double z0 = (bigM - m) / (bigM + y0);
        double w0 = (m + y0) / (bigM + y0);
        double length = Math.log1p((y1 - y0) / (m + y0));
        Integrand f = new Integrand(1 - p, q, z0, w0);
        double peak = f.peak(length);
        // chi(0) = 0: the integrand is taken relative to its value at y0.
        double top = peak == 0 ? 0 : f.value(peak);
        double end = length;
        double atEnd = peak == length ? top : f.value(end);
        if (atEnd < top - CUT) {
            end = f.cutOff(end, atEnd, top - CUT);
            atEnd = f.value(end);
        }
        double fall = 2 * top - atEnd;
        int last = SIZES.length - 1;
        // Past the largest rule (a very wide range of y against m): that rule on equal panels.
        int panels = (int) Math.ceil(Math.max(1, Math.max(fall / MAX_FALL[last], end / MAX_LENGTH[last])));
        int k = 0;
        while (k < last && (fall > MAX_FALL[k] || end > MAX_LENGTH[k])) {
            k++;
        }
        double[] nodes = NODES[k];
        double[] weights = WEIGHTS[k];
        double width = end / panels;
        double sum = 0;
        for (int panel = 0; panel < panels; panel++) {
            for (int i = 0; i < nodes.length; i++) {
                sum += weights[i] * Math.exp(f.value((panel + nodes[i]) * width) - top);
            }
        }
        return (1 - p) * Math.log(m + y0) - q * Math.log(bigM + y0) + top + Math.log(sum * width);
    }

    /** chi(v) = a v - q log(z0 + w0 e^v): the log of the integrand relative to its value at y0. */
    private record Integrand(double a, double q, double z0, double w0) {

        double value(double v) {
            return a * v - q * Math.log(z0 + w0 * Math.exp(v));
        }

        double slope(double v) {
            double e = w0 * Math.exp(v);
            return a - q * e / (z0 + e);
        }

        /** Where chi is largest on [0, length]: chi is concave, its slope falls from a - q w0 to a - q. */
        double peak(double length) {
            if (a - q * w0 <= 0) {
                return 0;
            }
            if (slope(length) >= 0) {
                return length;
            }
            return Math.log(a * z0 / (w0 * (q - a)));
        }

        /**
         * A point right of the peak where chi is at most target, not far past the first: Newton's steps from
         * the right on a concave falling function stay right of the crossing.
         */
        double cutOff(double v, double valueAtV, double target) {
            double value = valueAtV;
            for (int step = 0; step < 6 && value < target - 5; step++) {
                v -= (value - target) / slope(v);
                value = value(v);
            }
            return v;
        }
    }
}
