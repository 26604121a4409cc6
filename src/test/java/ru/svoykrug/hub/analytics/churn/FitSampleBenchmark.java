package ru.svoykrug.hub.analytics.churn;

import org.hipparchus.random.RandomDataGenerator;
import org.hipparchus.random.Well19937c;

import java.util.ArrayList;
import java.util.List;

/**
 * Times the three fits by hand (not a test) at the sizes {@code hub.nightly.churn.fit-sample} may take:
 * a million simulated customers (Pareto/NBD at CDNOW's parameters, joining over two years, one purchase
 * a day at most, as the night summarises them), fitted on evenly spread samples of each size as the
 * churn step does, cold and then warm from the cold fit (a next night). Best of three rounds.
 *
 * <pre>
 * mvn -q -o test-compile
 * java -cp target/classes:target/test-classes:$(mvn -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout) \
 *     ru.svoykrug.hub.analytics.churn.FitSampleBenchmark 20000 100000
 * </pre>
 */
public final class FitSampleBenchmark {

    private FitSampleBenchmark() {
    }

    public static void main(String[] args) {
        SyntheticCustomers simulated = SyntheticCustomers.paretoNbd(new ParetoNbdParameters(0.553, 10.58, 0.606, 11.66), 1_000_000,
                42, 104, 104, true);
        RandomDataGenerator random = RandomDataGenerator.of(new Well19937c(7));
        List<CustomerSummary> all = new ArrayList<>();
        for (int i = 0; i < simulated.x.length; i++) {
            int x = simulated.x[i];
            all.add(new CustomerSummary(x, simulated.tx[i], simulated.T[i], x == 0 ? Double.NaN : random.nextGamma(6.25, 1 / 0.25)));
        }
        for (String size : args) {
            List<CustomerSummary> sample = ChurnScoring.sample(all, Integer.parseInt(size));
            List<CustomerSummary> spend = sample.stream().filter(c -> c.x() == 0 || c.meanRepeatValue() > 0).toList();
            GroupedCustomers grouped = GroupedCustomers.of(sample);
            double bgCold = Double.MAX_VALUE, paretoCold = Double.MAX_VALUE, ggCold = Double.MAX_VALUE;
            double bgWarm = Double.MAX_VALUE, paretoWarm = Double.MAX_VALUE, ggWarm = Double.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                Fit<BgNbdParameters> bg = BgNbd.fit(GroupedCustomers.of(sample));
                bgCold = Math.min(bgCold, seconds(t0));
                t0 = System.nanoTime();
                Fit<ParetoNbdParameters> pareto = ParetoNbd.fit(GroupedCustomers.of(sample));
                paretoCold = Math.min(paretoCold, seconds(t0));
                t0 = System.nanoTime();
                Fit<GammaGammaParameters> gg = GammaGamma.fit(spend);
                ggCold = Math.min(ggCold, seconds(t0));
                // a next night: warm starts a little off the optimum
                t0 = System.nanoTime();
                BgNbd.fit(grouped, new BgNbdParameters(bg.parameters().r() * 1.01, bg.parameters().alpha() * 1.01,
                        bg.parameters().a() * 0.99, bg.parameters().b() * 0.99));
                bgWarm = Math.min(bgWarm, seconds(t0));
                t0 = System.nanoTime();
                ParetoNbd.fit(grouped, new ParetoNbdParameters(pareto.parameters().r() * 1.01, pareto.parameters().alpha() * 1.01,
                        pareto.parameters().s() * 0.99, pareto.parameters().beta() * 0.99));
                paretoWarm = Math.min(paretoWarm, seconds(t0));
                t0 = System.nanoTime();
                GammaGamma.fit(spend, new GammaGammaParameters(gg.parameters().p() * 1.01, gg.parameters().q() * 0.99,
                        gg.parameters().gamma() * 1.01));
                ggWarm = Math.min(ggWarm, seconds(t0));
            }
            System.out.printf("fit-sample %s (%d fitted, %d distinct summaries): cold BG/NBD %.2f s, Pareto/NBD %.2f s, "
                            + "Gamma-Gamma %.2f s (all %.2f s); warm %.2f / %.2f / %.2f s (all %.2f s)%n",
                    size, sample.size(), grouped.groups(), bgCold, paretoCold, ggCold, bgCold + paretoCold + ggCold,
                    bgWarm, paretoWarm, ggWarm, bgWarm + paretoWarm + ggWarm);
        }
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }
}
