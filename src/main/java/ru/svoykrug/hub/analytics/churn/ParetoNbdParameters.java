package ru.svoykrug.hub.analytics.churn;

/**
 * Pareto/NBD parameters: purchase rates are Gamma(shape r, rate alpha) per week; dropout rates (exponential
 * lifetimes) are Gamma(shape s, rate beta) per week.
 */
public record ParetoNbdParameters(double r, double alpha, double s, double beta) {
    public ParetoNbdParameters {
        Positive.require("r", r);
        Positive.require("alpha", alpha);
        Positive.require("s", s);
        Positive.require("beta", beta);
    }
}
