package ru.svoykrug.hub.analytics.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pareto/NBD against the published fit on the CDNOW sample (test resources cdnow/README.md). */
class ParetoNbdCdnowTest {

    private static final ParetoNbdParameters PUBLISHED = new ParetoNbdParameters(0.553, 10.58, 0.606, 11.66);
    private static final double PUBLISHED_LOG_LIKELIHOOD = -9594.98;

    private static List<CustomerSummary> customers;
    private static Fit<ParetoNbdParameters> fit;

    @BeforeAll
    static void fitOnce() {
        customers = new ArrayList<>(CdnowSample.summaries().values());
        fit = ParetoNbd.fit(customers);
    }

    @Test
    void fitReachesThePublishedLikelihood() {
        assertThat(fit.customers()).isEqualTo(2357);
        assertThat(fit.logLikelihood()).isCloseTo(PUBLISHED_LOG_LIKELIHOOD, within(0.01));
        // The published parameters are rounded to 3-4 digits, which costs well under 0.01 of likelihood.
        assertThat(ParetoNbd.logLikelihood(PUBLISHED, GroupedCustomers.of(customers)))
                .isCloseTo(PUBLISHED_LOG_LIKELIHOOD, within(0.01));
    }

    @Test
    void fitFindsThePublishedParameters() {
        ParetoNbdParameters p = fit.parameters();
        assertThat(p.r()).isCloseTo(PUBLISHED.r(), within(0.01 * PUBLISHED.r()));
        assertThat(p.alpha()).isCloseTo(PUBLISHED.alpha(), within(0.01 * PUBLISHED.alpha()));
        assertThat(p.s()).isCloseTo(PUBLISHED.s(), within(0.01 * PUBLISHED.s()));
        assertThat(p.beta()).isCloseTo(PUBLISHED.beta(), within(0.01 * PUBLISHED.beta()));
    }

    @Test
    void oneTimeBuyersMayHaveLeftAndTheLongerAgoTheLikelierSo() {
        ParetoNbdParameters p = fit.parameters();
        double previous = 1;
        for (double T = 1; T <= 39; T += 1) {
            double alive = ParetoNbd.probabilityAlive(p, 0, 0, T);
            assertThat(alive).isLessThan(previous).isGreaterThan(0);
            previous = alive;
        }
        assertThat(ParetoNbd.probabilityAlive(p, 0, 0, 0)).isEqualTo(1.0);
    }

    @Test
    void aFrequentRecentBuyerIsAliveAndALapsedOneIsNot() {
        ParetoNbdParameters p = fit.parameters();
        assertThat(ParetoNbd.probabilityAlive(p, 26, 30.857, 31)).isGreaterThan(0.9);
        assertThat(ParetoNbd.probabilityAlive(p, 10, 5, 39)).isLessThan(0.05);
        assertThat(ParetoNbd.conditionalExpectedPurchases(p, 52, 26, 30.857, 31))
                .isGreaterThan(ParetoNbd.conditionalExpectedPurchases(p, 52, 10, 20, 39));
    }

    @Test
    void predictedHoldoutPurchasesAreCloseToBgNbdOnes() {
        // Both models fit CDNOW about equally well; their aggregate forecasts differ by a few percent only.
        BgNbdParameters bg = BgNbd.fit(customers).parameters();
        double pareto = 0;
        double bgNbd = 0;
        for (CustomerSummary c : customers) {
            pareto += ParetoNbd.conditionalExpectedPurchases(fit.parameters(), 39, c.x(), c.tx(), c.T());
            bgNbd += BgNbd.conditionalExpectedPurchases(bg, 39, c.x(), c.tx(), c.T());
        }
        assertThat(pareto).isCloseTo(bgNbd, within(0.05 * bgNbd));
    }
}
