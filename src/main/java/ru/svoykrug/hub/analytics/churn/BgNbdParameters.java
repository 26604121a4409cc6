package ru.svoykrug.hub.analytics.churn;

/**
 * BG/NBD parameters: purchase rates are Gamma(shape r, rate alpha) per week; the probability of dropping out
 * after each purchase is Beta(a, b).
 */
public record BgNbdParameters(double r, double alpha, double a, double b) {
    public BgNbdParameters {
        Positive.require("r", r);
        Positive.require("alpha", alpha);
        Positive.require("a", a);
        Positive.require("b", b);
    }
}
