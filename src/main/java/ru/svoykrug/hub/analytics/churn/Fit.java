package ru.svoykrug.hub.analytics.churn;

/**
 * The result of a maximum-likelihood fit.
 *
 * @param parameters    the estimates
 * @param logLikelihood the log-likelihood of the whole sample at the estimates (natural log, summed over customers)
 * @param customers     how many customers the fit used
 */
public record Fit<P>(P parameters, double logLikelihood, int customers) {
}
