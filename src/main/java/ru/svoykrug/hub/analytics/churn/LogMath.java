package ru.svoykrug.hub.analytics.churn;

/** Sums and differences of numbers known by their logarithms, without overflow or underflow. */
final class LogMath {
    private LogMath() {
    }

    /** log(e^a + e^b). */
    static double logAddExp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double max = Math.max(a, b);
        return max + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    /** log(e^a - e^b) for a >= b; -infinity when they are equal. */
    static double logSubExp(double a, double b) {
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double d = b - a;
        if (d >= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        // log1p(-e^d) loses accuracy for d near 0; log(-expm1(d)) does not.
        return a + (d > -0.693 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
    }
}
