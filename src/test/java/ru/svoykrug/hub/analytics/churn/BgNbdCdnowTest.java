package ru.svoykrug.hub.analytics.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** BG/NBD against Fader, Hardie and Lee (2005) on the CDNOW sample (test resources cdnow/README.md). */
class BgNbdCdnowTest {

    private static final BgNbdParameters PUBLISHED = new BgNbdParameters(0.2426, 4.4137, 0.7930, 2.4262);
    private static final double PUBLISHED_LOG_LIKELIHOOD = -9582.43;

    private static List<CustomerSummary> customers;
    private static Fit<BgNbdParameters> fit;

    @BeforeAll
    static void fitOnce() {
        customers = new ArrayList<>(CdnowSample.summaries().values());
        fit = BgNbd.fit(customers);
    }

    @Test
    void fitReachesThePublishedLikelihood() {
        assertThat(fit.customers()).isEqualTo(2357);
        assertThat(fit.logLikelihood()).isCloseTo(PUBLISHED_LOG_LIKELIHOOD, within(0.01));
        assertThat(BgNbd.logLikelihood(PUBLISHED, GroupedCustomers.of(customers)))
                .isCloseTo(PUBLISHED_LOG_LIKELIHOOD, within(0.01));
    }

    @Test
    void fitFindsThePublishedParameters() {
        BgNbdParameters p = fit.parameters();
        assertThat(p.r()).isCloseTo(PUBLISHED.r(), relative(PUBLISHED.r(), 0.01));
        assertThat(p.alpha()).isCloseTo(PUBLISHED.alpha(), relative(PUBLISHED.alpha(), 0.01));
        assertThat(p.a()).isCloseTo(PUBLISHED.a(), relative(PUBLISHED.a(), 0.01));
        // b is poorly determined (standard error about 0.7): the likelihood test above is the real check.
        assertThat(p.b()).isCloseTo(PUBLISHED.b(), within(0.7));
    }

    @Test
    void predictionsAtThePublishedParametersMatchToOneInTenThousand() {
        assertPredictions(PUBLISHED, 1e-4);
    }

    @Test
    void predictionsAtTheFittedParametersMatchToOneInAThousand() {
        assertPredictions(fit.parameters(), 1e-3);
    }

    private static void assertPredictions(BgNbdParameters p, double tolerance) {
        assertRelative(BgNbd.expectedPurchases(p, 52), "1.444", tolerance);
        assertRelative(BgNbd.probabilityAlive(p, 26, 30.857, 31), "0.9689", tolerance);
        assertRelative(BgNbd.conditionalExpectedPurchases(p, 52, 26, 30.857, 31), "25.757", tolerance);
        assertRelative(BgNbd.conditionalExpectedPurchases(p, 52, 10, 20, 39), "0.3475", tolerance);
        String[] publishedHoldoutMeans = {"0.2251", "0.5231", "1.0441", "1.5203"};
        for (int x = 0; x < publishedHoldoutMeans.length; x++) {
            assertRelative(meanHoldoutExpectation(p, x), publishedHoldoutMeans[x], tolerance);
        }
    }

    /** Mean E[Y(39) | x, tx, T] over the sample's customers with this calibration x. */
    private static double meanHoldoutExpectation(BgNbdParameters p, int x) {
        return customers.stream().filter(c -> c.x() == x)
                .mapToDouble(c -> BgNbd.conditionalExpectedPurchases(p, CdnowSample.HOLDOUT_WEEKS, c.x(), c.tx(), c.T()))
                .average().orElseThrow();
    }

    /**
     * Within the relative tolerance, or within half a unit of the last published digit when that is wider: the
     * published 0.3475 is the rounding of 0.34746, 1.2e-4 away in relative terms.
     */
    private static void assertRelative(double actual, String published, double tolerance) {
        BigDecimal value = new BigDecimal(published);
        double halfLastDigit = value.ulp().doubleValue() / 2;
        assertThat(actual).isCloseTo(value.doubleValue(),
                within(Math.max(tolerance * value.doubleValue(), halfLastDigit)));
    }

    private static Offset<Double> relative(double value, double fraction) {
        return within(Math.abs(value) * fraction);
    }
}
