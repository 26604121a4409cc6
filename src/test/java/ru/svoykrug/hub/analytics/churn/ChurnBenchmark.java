package ru.svoykrug.hub.analytics.churn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Times the nightly churn work by hand (not a test: timings on shared machines make flaky tests). Reads a
 * summary file with columns {@code x,tx,T,mean} (one customer a row, mean empty for x = 0), fits the three
 * models cold on an evenly spread subset of 100,000 (as the churn step), then warm on a simulated next night (a day later, 1% of
 * the customers with one more purchase that day), and scores every customer.
 *
 * <pre>
 * mvn -q -o test-compile
 * java -cp target/classes:target/test-classes:$(mvn -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout) \
 *     ru.svoykrug.hub.analytics.churn.ChurnBenchmark /tmp/churn-bench-summary.csv
 * </pre>
 */
public final class ChurnBenchmark {

    private static final int SAMPLE = 100_000; // hub.nightly.churn.fit-sample's default

    private ChurnBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        List<CustomerSummary> all = read(Path.of(args[0]));
        System.out.printf("%d customers%n", all.size());
        List<CustomerSummary> sample = everyNth(all);
        Fit<BgNbdParameters> bg = timed("BG/NBD cold", () -> BgNbd.fit(GroupedCustomers.of(sample)));
        Fit<ParetoNbdParameters> pareto = timed("Pareto/NBD cold", () -> ParetoNbd.fit(GroupedCustomers.of(sample)));
        Fit<GammaGammaParameters> gg = timed("Gamma-Gamma cold", () -> GammaGamma.fit(positiveSpend(sample)));

        List<CustomerSummary> nextNight = nextNight(all);
        List<CustomerSummary> nextSample = everyNth(nextNight);
        timed("BG/NBD warm", () -> BgNbd.fit(GroupedCustomers.of(nextSample), bg.parameters()));
        timed("Pareto/NBD warm", () -> ParetoNbd.fit(GroupedCustomers.of(nextSample), pareto.parameters()));
        timed("Pareto/NBD cold, next", () -> ParetoNbd.fit(GroupedCustomers.of(nextSample)));
        timed("Gamma-Gamma warm", () -> GammaGamma.fit(positiveSpend(nextSample), gg.parameters()));

        for (int round = 0; round < 3; round++) {
            timed("scoring " + all.size(), () -> new ParetoNbdScorer(pareto.parameters(), 90 / 7.0, 52).score(all));
        }
    }

    private static <T> T timed(String what, java.util.function.Supplier<T> work) {
        long started = System.nanoTime();
        T result = work.get();
        System.out.printf("%-22s %8.3f s  %s%n", what, (System.nanoTime() - started) / 1e9,
                result instanceof Fit<?> fit ? fit : "");
        return result;
    }

    private static List<CustomerSummary> everyNth(List<CustomerSummary> all) {
        return ChurnScoring.sample(all, SAMPLE);
    }

    /** As the nightly step: a repeat buyer whose purchases were all refunded has no spend to fit. */
    private static List<CustomerSummary> positiveSpend(List<CustomerSummary> customers) {
        return customers.stream().filter(c -> c.x() == 0 || c.meanRepeatValue() > 0).toList();
    }

    private static List<CustomerSummary> nextNight(List<CustomerSummary> all) {
        double day = 1 / 7.0;
        List<CustomerSummary> next = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            CustomerSummary c = all.get(i);
            double T = c.T() + day;
            // one customer in a hundred, spread (a hash of the index), bought again tonight
            next.add(Math.floorMod(i * 0x9E3779B9, 100) == 0
                    ? new CustomerSummary(c.x() + 1, T, T, c.x() == 0 ? 1000 : c.meanRepeatValue())
                    : new CustomerSummary(c.x(), c.tx(), T, c.meanRepeatValue()));
        }
        return next;
    }

    private static List<CustomerSummary> read(Path file) throws IOException {
        List<CustomerSummary> customers = new ArrayList<>();
        try (var lines = Files.lines(file)) {
            lines.skip(1).forEach(line -> {
                String[] f = line.split(",", -1);
                int x = Integer.parseInt(f[0]);
                double mean = x == 0 || f[3].isEmpty() ? Double.NaN : Double.parseDouble(f[3]);
                customers.add(new CustomerSummary(x, Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        x == 0 ? Double.NaN : mean));
            });
        }
        return customers;
    }
}
