package ru.svoykrug.hub.analytics.churn;

/**
 * Gamma-Gamma spend parameters: a purchase's value is Gamma(shape p, rate nu) and each customer's nu is
 * Gamma(shape q, rate gamma). The population mean spend per purchase is p * gamma / (q - 1) when q > 1.
 */
public record GammaGammaParameters(double p, double q, double gamma) {
    public GammaGammaParameters {
        Positive.require("p", p);
        Positive.require("q", q);
        Positive.require("gamma", gamma);
    }
}
