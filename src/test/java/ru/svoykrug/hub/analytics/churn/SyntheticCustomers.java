package ru.svoykrug.hub.analytics.churn;

import org.hipparchus.random.RandomDataGenerator;
import org.hipparchus.random.Well19937c;

/**
 * Customers simulated from the models' own stories, for recovery tests and timings. First purchases are
 * spread evenly over a cohort window; the calibration ends a fixed time after the window opens. With
 * {@code daily} true, purchase times are truncated to whole days and same-day purchases merge, as
 * {@link CustomerSummary#of} does with real logs.
 */
final class SyntheticCustomers {

    final int[] x;
    final double[] tx;
    final double[] T;

    private SyntheticCustomers(int n) {
        x = new int[n];
        tx = new double[n];
        T = new double[n];
    }

    static SyntheticCustomers bgNbd(BgNbdParameters p, int n, long seed, double cohortWeeks, double endWeeks,
                                    boolean daily) {
        RandomDataGenerator random = RandomDataGenerator.of(new Well19937c(seed));
        SyntheticCustomers customers = new SyntheticCustomers(n);
        for (int i = 0; i < n; i++) {
            double observed = observationWeeks(random, cohortWeeks, endWeeks, daily);
            double rate = random.nextGamma(p.r(), 1 / p.alpha());
            double dropout = random.nextBeta(p.a(), p.b());
            Trajectory trajectory = new Trajectory(daily);
            double t = 0;
            while (true) {
                t += random.nextExponential(1 / rate);
                if (t > observed) {
                    break;
                }
                trajectory.purchaseAt(t);
                // BG/NBD: a customer may drop out right after each repeat purchase.
                if (random.nextDouble() < dropout) {
                    break;
                }
            }
            customers.set(i, trajectory, observed);
        }
        return customers;
    }

    static SyntheticCustomers paretoNbd(ParetoNbdParameters p, int n, long seed, double cohortWeeks,
                                        double endWeeks, boolean daily) {
        RandomDataGenerator random = RandomDataGenerator.of(new Well19937c(seed));
        SyntheticCustomers customers = new SyntheticCustomers(n);
        for (int i = 0; i < n; i++) {
            double observed = observationWeeks(random, cohortWeeks, endWeeks, daily);
            double rate = random.nextGamma(p.r(), 1 / p.alpha());
            double lifetime = random.nextExponential(1 / random.nextGamma(p.s(), 1 / p.beta()));
            Trajectory trajectory = new Trajectory(daily);
            double end = Math.min(observed, lifetime);
            for (double t = random.nextExponential(1 / rate); t <= end; t += random.nextExponential(1 / rate)) {
                trajectory.purchaseAt(t);
            }
            customers.set(i, trajectory, observed);
        }
        return customers;
    }

    private static double observationWeeks(RandomDataGenerator random, double cohortWeeks, double endWeeks,
                                           boolean daily) {
        double first = random.nextUniform(0, cohortWeeks);
        double observed = endWeeks - first;
        return daily ? Math.floor(observed * 7) / 7 : observed;
    }

    private void set(int i, Trajectory trajectory, double observed) {
        x[i] = trajectory.repeats;
        tx[i] = trajectory.last;
        T[i] = observed;
    }

    /** Repeat purchases and the time of the last one, merging same-day purchases when daily. */
    private static final class Trajectory {
        private final boolean daily;
        private int repeats;
        private double last;

        Trajectory(boolean daily) {
            this.daily = daily;
        }

        void purchaseAt(double weeks) {
            double time = daily ? Math.floor(weeks * 7) / 7 : weeks;
            if (daily && time == 0) {
                return; // the same day as the first purchase
            }
            if (repeats > 0 && time == last) {
                return;
            }
            repeats++;
            last = time;
        }
    }
}
