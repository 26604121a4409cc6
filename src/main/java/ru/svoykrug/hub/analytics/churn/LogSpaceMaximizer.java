package ru.svoykrug.hub.analytics.churn;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Maximises a log-likelihood over positive parameters on their logarithms (so positivity needs no constraint
 * and the search moves on a sensible scale for rates and shapes alike).
 *
 * <p>Powell's BOBYQA (a trust region over quadratic models, no derivatives) reaches the CDNOW optima in about
 * 150 evaluations where Nelder-Mead needs 350-400, and each evaluation of a million customers is the cost
 * that matters. Any run can stop early on the long flat ridges these likelihoods have (BG/NBD's b,
 * Pareto/NBD's s and beta), so it restarts from the best point with a smaller trust region until a restart no
 * longer improves the likelihood. Everything is deterministic: same data, same start, same answer.
 */
public final class LogSpaceMaximizer {

    /** Log-parameters beyond this are treated as outside the model: e^30 is no plausible shape or rate. */
    private static final double LOG_BOUND = 30;
    private static final int MAX_EVALUATIONS_PER_RUN = 3_000;
    private static final int MAX_RUNS = 6;
    private static final double IMPROVEMENT = 1e-9;
    /** First trust region radius in log space: a factor e^0.5 on every parameter. */
    private static final double FIRST_RADIUS = 0.5;
    private static final double RESTART_RADIUS = 0.05;
    /** First trust region from a warm start: a factor e^0.02, about the night-to-night change of estimates. */
    private static final double NEAR_RADIUS = 0.02;
    private static final double NEAR_STOPPING_RADIUS = 1e-6;
    /** A warm start that ends no further than a factor e^0.25 from where it began was near: no restart. */
    private static final double NEAR = 0.25;
    private static final double STOPPING_RADIUS = 1e-9;

    /**
     * How long one fit may take. Data that carry no sign of dropout (everyone steady) push the maximum to
     * the edge of the parameter space, where each likelihood is slow to evaluate; the night must still
     * end, so past this budget the fit stops and keeps the best point it reached.
     */
    private static volatile long budgetNanos = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    public static void timeBudget(java.time.Duration budget) {
        budgetNanos = budget.toNanos();
    }

    private static final class BudgetExhausted extends RuntimeException {
        BudgetExhausted() {
            super("time budget of the fit exhausted", null, false, false);
        }
    }

    private LogSpaceMaximizer() {
    }

    /** The maximising parameters (not their logs) and the maximum. */
    record Result(double[] parameters, double logLikelihood) {
    }

    static Result maximize(ToDoubleFunction<double[]> logLikelihood, double[] start) {
        return maximize(logLikelihood, start, false);
    }

    /**
     * From a start believed near the maximum (the previous night's estimates): one run with a small first trust
     * region, stopped at a coarser radius (1e-6 in log space moves the log-likelihood by far less than it can
     * tell apart), and no restart, unless the run ended far from the start: then the start was not near, and
     * the restarts of {@link #maximize} follow.
     */
    static Result maximizeNear(ToDoubleFunction<double[]> logLikelihood, double[] start) {
        return maximize(logLikelihood, start, true);
    }

    private static Result maximize(ToDoubleFunction<double[]> logLikelihood, double[] start, boolean near) {
        double[] logStart = new double[start.length];
        for (int i = 0; i < start.length; i++) {
            Positive.require("start[" + i + "]", start[i]);
            logStart[i] = Math.log(start[i]);
        }
        // Remembers the best point evaluated, so that a run cut off by MaxEval still yields its progress.
        BestPoint best = new BestPoint(logStart, negativeLogLikelihood(logLikelihood, logStart));
        long deadline = System.nanoTime() + budgetNanos;
        ObjectiveFunction objective = new ObjectiveFunction(logs -> {
            if (System.nanoTime() > deadline) {
                throw new BudgetExhausted();
            }
            double value = negativeLogLikelihood(logLikelihood, logs);
            best.offer(logs, value);
            return value;
        });
        double[] lower = new double[start.length];
        double[] upper = new double[start.length];
        Arrays.fill(lower, -LOG_BOUND);
        Arrays.fill(upper, LOG_BOUND);
        double radius = near ? NEAR_RADIUS : FIRST_RADIUS;
        for (int run = 0; run < MAX_RUNS; run++) {
            double before = best.value;
            double stoppingRadius = near && run == 0 ? NEAR_STOPPING_RADIUS : STOPPING_RADIUS;
            BOBYQAOptimizer optimizer = new BOBYQAOptimizer(2 * start.length + 1, radius, stoppingRadius);
            try {
                optimizer.optimize(
                        new MaxEval(MAX_EVALUATIONS_PER_RUN),
                        objective,
                        GoalType.MINIMIZE,
                        new InitialGuess(best.point.clone()),
                        new SimpleBounds(lower, upper));
            } catch (MathIllegalStateException evaluationsExhausted) {
                // The best point so far is kept; the next run restarts from it.
            } catch (BudgetExhausted outOfTime) {
                org.slf4j.LoggerFactory.getLogger(LogSpaceMaximizer.class)
                        .warn("A churn model fit stopped at its time budget; it keeps the best point reached (log-likelihood {})", -best.value);
                break;
            }
            if (run == 0 && near && distance(best.point, logStart) <= NEAR) {
                break;
            }
            if (run > 0 && before - best.value <= IMPROVEMENT * Math.max(1, Math.abs(before))) {
                break;
            }
            radius = RESTART_RADIUS;
        }
        double[] parameters = new double[best.point.length];
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = Math.exp(best.point[i]);
        }
        return new Result(parameters, -best.value);
    }

    /** The largest change of a log-parameter: how far, as a factor, any parameter moved. */
    private static double distance(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static final class BestPoint {
        private double[] point;
        private double value;

        BestPoint(double[] point, double value) {
            this.point = point.clone();
            this.value = value;
        }

        void offer(double[] candidate, double candidateValue) {
            if (candidateValue < value) {
                point = candidate.clone();
                value = candidateValue;
            }
        }
    }

    private static double negativeLogLikelihood(ToDoubleFunction<double[]> logLikelihood, double[] logs) {
        double[] parameters = new double[logs.length];
        for (int i = 0; i < logs.length; i++) {
            if (Math.abs(logs[i]) > LOG_BOUND) {
                return Double.MAX_VALUE;
            }
            parameters[i] = Math.exp(logs[i]);
        }
        double value = logLikelihood.applyAsDouble(parameters);
        // NaN would break the simplex ordering; a point where the likelihood cannot be evaluated is just bad.
        return Double.isFinite(value) ? -value : Double.MAX_VALUE;
    }
}
