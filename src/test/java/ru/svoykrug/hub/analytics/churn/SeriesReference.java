package ru.svoykrug.hub.analytics.churn;

import org.hipparchus.special.Gamma;

/**
 * The Pareto/NBD likelihood as it was computed before the quadrature, kept as the reference: the closed form
 * with two hypergeometric tails, F(t_x) - F(T), each a series summed until its terms fall below 1e-17 of the
 * sum, without the 20,000-term cap the model had (so it is exact but slow where z is near 1).
 */
final class SeriesReference {

    private SeriesReference() {
    }

    static double f21(double a, double b, double c, double z) {
        double term = 1;
        double sum = 1;
        for (int n = 0; ; n++) {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            sum += term;
            if (Math.abs(term) <= 1e-17 * Math.abs(sum)) {
                return sum;
            }
        }
    }

    /** log of the integral from y to infinity of (m + u)^-p (M + u)^-q du. */
    static double logTail(double p, double q, double m, double bigM, double y) {
        double z = (bigM - m) / (bigM + y);
        return (1 - p) * Math.log(m + y) - q * Math.log(bigM + y) + Math.log(f21(1, q, p + q, z))
                - Math.log(p + q - 1);
    }

    /** log of the integral from y0 to y1 of (m + u)^-p (M + u)^-q du, as a difference of tails. */
    static double logIntegral(double p, double q, double m, double bigM, double y0, double y1) {
        return LogMath.logSubExp(logTail(p, q, m, bigM, y0), logTail(p, q, m, bigM, y1));
    }

    /** How much the difference of tails cancels: tail(y0) / integral, which scales its rounding error. */
    static double cancellation(double p, double q, double m, double bigM, double y0, double y1) {
        return Math.exp(logTail(p, q, m, bigM, y0) - logIntegral(p, q, m, bigM, y0, y1));
    }

    /** log[s * integral_{tx}^{T} (alpha + y)^-(r + x) (beta + y)^-(s + 1) dy]. */
    static double logUnseen(ParetoNbdParameters p, int x, double tx, double T) {
        if (tx == T) {
            return Double.NEGATIVE_INFINITY;
        }
        boolean alphaLarger = p.alpha() >= p.beta();
        double m = Math.min(p.alpha(), p.beta());
        double bigM = Math.max(p.alpha(), p.beta());
        double pSmall = alphaLarger ? p.s() + 1 : p.r() + x;
        double qBig = alphaLarger ? p.r() + x : p.s() + 1;
        return Math.log(p.s()) + logIntegral(pSmall, qBig, m, bigM, tx, T);
    }

    static double logLikelihood(ParetoNbdParameters p, int x, double tx, double T) {
        double alive = -(p.r() + x) * Math.log(p.alpha() + T) - p.s() * Math.log(p.beta() + T);
        return Gamma.logGamma(p.r() + x) - Gamma.logGamma(p.r()) + p.r() * Math.log(p.alpha())
                + p.s() * Math.log(p.beta()) + LogMath.logAddExp(alive, logUnseen(p, x, tx, T));
    }

    static double probabilityAlive(ParetoNbdParameters p, int x, double tx, double T) {
        double alive = -(p.r() + x) * Math.log(p.alpha() + T) - p.s() * Math.log(p.beta() + T);
        return Math.exp(alive - LogMath.logAddExp(alive, logUnseen(p, x, tx, T)));
    }

    static double conditionalExpectedPurchases(ParetoNbdParameters p, double t, int x, double tx, double T) {
        double givenAlive = (p.r() + x) * (p.beta() + T) / (p.alpha() + T)
                * Hypergeometric.oneMinusPowerOverExponent(p.s() - 1, -Math.log1p(t / (p.beta() + T)));
        return givenAlive * probabilityAlive(p, x, tx, T);
    }
}
