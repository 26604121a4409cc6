package ru.svoykrug.hub.analytics.churn;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import org.hipparchus.special.Gamma;

/**
 * The repeat buyers Gamma-Gamma is fitted on, grouped by identical (x, mean value) (with fixed price lists
 * these recur), with the parts of the log-likelihood that are linear in p or constant summed once: an
 * evaluation costs one log per distinct pair plus three log-gammas per distinct x. Sorted, so that sums run
 * in one order whatever the input order and fits are deterministic.
 */
final class RepeatBuyers {

    private final int[] x;
    private final double[] mean;
    private final double[] weight;
    private final int customers;
    private final int[] xLevels;
    private final double[] countByX;
    private final double sumXLogMean;
    private final double sumLogMean;
    private final double sumXLogX;
    private final double averageMean;

    private RepeatBuyers(List<CustomerSummary> sorted) {
        customers = sorted.size();
        int[] xs = new int[customers];
        double[] means = new double[customers];
        double[] weights = new double[customers];
        int distinct = 0;
        double xLogMean = 0;
        double logMean = 0;
        double xLogX = 0;
        double meanSum = 0;
        for (CustomerSummary c : sorted) {
            GammaGamma.requireRepeatBuyer(c.x(), c.meanRepeatValue());
            if (distinct == 0 || xs[distinct - 1] != c.x() || means[distinct - 1] != c.meanRepeatValue()) {
                xs[distinct] = c.x();
                means[distinct] = c.meanRepeatValue();
                distinct++;
            }
            weights[distinct - 1]++;
            xLogMean += c.x() * Math.log(c.meanRepeatValue());
            logMean += Math.log(c.meanRepeatValue());
            xLogX += c.x() * Math.log(c.x());
            meanSum += c.meanRepeatValue();
        }
        x = Arrays.copyOf(xs, distinct);
        mean = Arrays.copyOf(means, distinct);
        weight = Arrays.copyOf(weights, distinct);
        sumXLogMean = xLogMean;
        sumLogMean = logMean;
        sumXLogX = xLogX;
        averageMean = meanSum / customers;
        xLevels = Arrays.stream(x).distinct().sorted().toArray();
        countByX = new double[xLevels.length];
        for (int i = 0; i < distinct; i++) {
            countByX[Arrays.binarySearch(xLevels, x[i])] += weight[i];
        }
    }

    /** The customers with x > 0; the others carry no spend information. */
    static RepeatBuyers of(Collection<CustomerSummary> customers) {
        List<CustomerSummary> buyers = customers.stream().filter(c -> c.x() > 0)
                .sorted(Comparator.comparingInt(CustomerSummary::x)
                        .thenComparingDouble(CustomerSummary::meanRepeatValue))
                .toList();
        if (buyers.isEmpty()) {
            throw new IllegalArgumentException("no repeat buyers to fit spend on");
        }
        return new RepeatBuyers(buyers);
    }

    int size() {
        return customers;
    }

    /** The sum of {@link GammaGamma#logLikelihood(GammaGammaParameters, int, double)} over the buyers. */
    double logLikelihood(GammaGammaParameters g) {
        double p = g.p();
        double q = g.q();
        double sum = 0;
        for (int k = 0; k < xLevels.length; k++) {
            double px = p * xLevels[k];
            sum += countByX[k] * (Gamma.logGamma(px + q) - Gamma.logGamma(px));
        }
        for (int i = 0; i < x.length; i++) {
            sum -= weight[i] * (p * x[i] + q) * Math.log(g.gamma() + mean[i] * x[i]);
        }
        return sum + customers * (q * Math.log(g.gamma()) - Gamma.logGamma(q))
                + p * sumXLogMean - sumLogMean + p * sumXLogX;
    }

    /**
     * Start at p = 1, q = 2 (the smallest round q with a finite mean) and gamma such that the population mean
     * spend p gamma / (q - 1) equals the sample's: the simplex then starts on the right scale of money.
     */
    double[] startValues() {
        return new double[] {1, 2, Math.max(averageMean, 1e-6)};
    }
}
