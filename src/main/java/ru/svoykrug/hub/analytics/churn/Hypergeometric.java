package ru.svoykrug.hub.analytics.churn;

/**
 * The Gauss hypergeometric series the models need, summed term by term for 0 <= z < 1.
 *
 * <p>The models call it only after an Euler transformation chosen so that the parameters stay small whatever
 * the customer's purchase count: the terms then shrink at least geometrically (ratio about z), nothing
 * overflows, and there is no catastrophic cancellation. Each caller documents its transformation.
 */
final class Hypergeometric {

    /** Relative size of the last term kept: below the double precision of the sum. */
    private static final double TOLERANCE = 1e-17;
    /**
     * Enough for z up to about 0.998 at full precision. Only fits wandering at the edge of the parameter
     * space (data with no sign of dropout) get nearer to 1; there the cap keeps each call cheap, so a
     * night over a million customers still ends.
     */
    private static final int MAX_TERMS = 20_000;

    private Hypergeometric() {
    }

    /** 2F1(a, b; c; z) for 0 <= z < 1, c > 0. */
    static double f21(double a, double b, double c, double z) {
        double term = 1;
        double sum = 1;
        for (int n = 0; n < MAX_TERMS; n++) {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            sum += term;
            if (Math.abs(term) <= TOLERANCE * Math.abs(sum)) {
                break;
            }
        }
        return sum;
    }

    /**
     * (2F1(a, b; c; z) - 1) / b, summed without dividing by b: the series of 2F1 minus its first term has the
     * factor b in every term, since (b)_n = b (b + 1)_{n - 1}. Stays accurate when b is at or near 0, where
     * the BG/NBD expectations have a removable singularity (a = 1).
     */
    static double f21MinusOneOverB(double a, double b, double c, double z) {
        // n = 1 term: (a)_1 (b + 1)_0 z / ((c)_1 1!)
        double term = a * z / c;
        double sum = term;
        for (int n = 1; n < MAX_TERMS && term != 0; n++) {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            sum += term;
            if (Math.abs(term) <= TOLERANCE * Math.abs(sum)) {
                break;
            }
        }
        return sum;
    }

    /**
     * (1 - exp(k * logQ)) / k, i.e. (1 - q^k) / k for q = exp(logQ) < 1, with its limit -logQ at k = 0.
     * Both models' expected purchase counts have this shape ((s - 1) in Pareto/NBD, (a - 1) in BG/NBD).
     */
    static double oneMinusPowerOverExponent(double k, double logQ) {
        double kl = k * logQ;
        if (kl == 0) {
            return -logQ;
        }
        return -Math.expm1(kl) / k;
    }
}
