/**
 * Customer-base ("buy till you die") models for churn scores and lifetime value: BG/NBD, Pareto/NBD and
 * Gamma-Gamma, fitted by maximum likelihood on (x, t_x, T) summaries. The models are a plain library without Spring;
 * {@link ru.svoykrug.hub.analytics.churn.ChurnScoring}, the work of the night's step "churn" (which knows
 * nothing of the night), builds {@link ru.svoykrug.hub.analytics.churn.CustomerSummary summaries}, fits the
 * models and scores every customer with the static methods of {@link ru.svoykrug.hub.analytics.churn.BgNbd},
 * {@link ru.svoykrug.hub.analytics.churn.ParetoNbd} and {@link ru.svoykrug.hub.analytics.churn.GammaGamma}.
 *
 * <p>Time is in weeks throughout (days / 7), as in the published results these models are tested against.
 */
package ru.svoykrug.hub.analytics.churn;
