package ru.svoykrug.hub.analytics.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Grouping by (x, t_x, T) changes the cost of a likelihood, never its value, and fits ignore input order. */
class GroupingTest {

    private final List<CustomerSummary> customers = new ArrayList<>(CdnowSample.summaries().values());
    private final GroupedCustomers grouped = GroupedCustomers.of(customers);

    @Test
    void cdnowTriplesRepeat() {
        assertThat(grouped.customers()).isEqualTo(2357);
        assertThat(grouped.groups()).isLessThan(customers.size() / 2);
    }

    @Test
    void bgNbdGroupedLikelihoodIsTheSumOverCustomers() {
        for (BgNbdParameters p : List.of(new BgNbdParameters(0.2426, 4.4137, 0.7930, 2.4262),
                new BgNbdParameters(2, 0.5, 3, 0.4))) {
            double sum = customers.stream().mapToDouble(c -> BgNbd.logLikelihood(p, c.x(), c.tx(), c.T())).sum();
            assertThat(BgNbd.logLikelihood(p, grouped)).isCloseTo(sum, within(1e-9 * Math.abs(sum)));
        }
    }

    @Test
    void paretoNbdGroupedLikelihoodIsTheSumOverCustomers() {
        // Both branches of the likelihood: alpha < beta and alpha >= beta.
        for (ParetoNbdParameters p : List.of(new ParetoNbdParameters(0.553, 10.58, 0.606, 11.66),
                new ParetoNbdParameters(1.5, 20, 0.3, 2))) {
            double sum = customers.stream().mapToDouble(c -> ParetoNbd.logLikelihood(p, c.x(), c.tx(), c.T())).sum();
            assertThat(ParetoNbd.logLikelihood(p, grouped)).isCloseTo(sum, within(1e-9 * Math.abs(sum)));
        }
    }

    @Test
    void arraysGroupLikeSummaries() {
        int n = customers.size();
        int[] x = new int[n];
        double[] tx = new double[n];
        double[] T = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = customers.get(i).x();
            tx[i] = customers.get(i).tx();
            T[i] = customers.get(i).T();
        }
        BgNbdParameters p = new BgNbdParameters(0.3, 5, 0.8, 2.5);
        assertThat(BgNbd.logLikelihood(p, GroupedCustomers.of(x, tx, T))).isEqualTo(BgNbd.logLikelihood(p, grouped));
    }

    @Test
    void gammaGammaGroupsIdenticalSpendAndCountsEveryCustomer() {
        List<CustomerSummary> twice = new ArrayList<>(customers);
        twice.addAll(customers);

        Fit<GammaGammaParameters> once = GammaGamma.fit(customers);
        Fit<GammaGammaParameters> doubled = GammaGamma.fit(twice);

        assertThat(doubled.customers()).isEqualTo(2 * once.customers());
        double sum = twice.stream().filter(c -> c.x() > 0)
                .mapToDouble(c -> GammaGamma.logLikelihood(doubled.parameters(), c.x(), c.meanRepeatValue())).sum();
        assertThat(doubled.logLikelihood()).isCloseTo(sum, within(1e-9 * Math.abs(sum)));
        assertThat(doubled.parameters().p()).isCloseTo(once.parameters().p(), within(1e-4 * once.parameters().p()));
    }

    @Test
    void fitsAreDeterministicWhateverTheInputOrder() {
        List<CustomerSummary> shuffled = new ArrayList<>(customers);
        Collections.shuffle(shuffled, new Random(7));

        assertThat(BgNbd.fit(shuffled)).isEqualTo(BgNbd.fit(customers));
        assertThat(ParetoNbd.fit(shuffled)).isEqualTo(ParetoNbd.fit(customers));
        assertThat(GammaGamma.fit(shuffled)).isEqualTo(GammaGamma.fit(customers));
    }
}
