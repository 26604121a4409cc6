package ru.svoykrug.hub.analytics.churn;

import java.util.ArrayList;
import java.util.List;

import org.hipparchus.random.RandomDataGenerator;
import org.hipparchus.random.Well19937c;

/** Repeat buyers with spend simulated from the Gamma-Gamma story; x is 1..10 repeat purchases. */
final class SyntheticSpend {
    private SyntheticSpend() {
    }

    static List<CustomerSummary> customers(GammaGammaParameters g, int n, long seed) {
        RandomDataGenerator random = RandomDataGenerator.of(new Well19937c(seed));
        List<CustomerSummary> customers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int x = 1 + random.nextInt(10);
            // nu ~ Gamma(q, rate gamma); each purchase ~ Gamma(p, rate nu): scale parameters are 1 / rate.
            double nu = random.nextGamma(g.q(), 1 / g.gamma());
            double total = 0;
            for (int k = 0; k < x; k++) {
                total += random.nextGamma(g.p(), 1 / nu);
            }
            customers.add(new CustomerSummary(x, 1, 2, total / x));
        }
        return customers;
    }
}
