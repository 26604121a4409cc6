package ru.svoykrug.hub.analytics.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gamma-Gamma against the published fit on the CDNOW sample's 946 repeat buyers. */
class GammaGammaCdnowTest {

    private static List<CustomerSummary> customers;
    private static Fit<GammaGammaParameters> fit;

    @BeforeAll
    static void fitOnce() {
        customers = new ArrayList<>(CdnowSample.summaries().values());
        fit = GammaGamma.fit(customers);
    }

    @Test
    void fitUsesTheRepeatBuyersAndFindsThePublishedParameters() {
        assertThat(fit.customers()).isEqualTo(946);
        GammaGammaParameters g = fit.parameters();
        assertThat(g.p()).isCloseTo(6.25, within(0.01 * 6.25));
        assertThat(g.q()).isCloseTo(3.74, within(0.01 * 3.74));
        assertThat(g.gamma()).isCloseTo(15.44, within(0.01 * 15.44));
        assertThat(fit.logLikelihood()).isEqualTo(repeatBuyerLikelihood(g), within(1e-6));
    }

    @Test
    void fitIsAMaximum() {
        GammaGammaParameters g = fit.parameters();
        for (double factor : new double[] {0.98, 1.02}) {
            assertThat(repeatBuyerLikelihood(new GammaGammaParameters(g.p() * factor, g.q(), g.gamma())))
                    .isLessThan(fit.logLikelihood());
            assertThat(repeatBuyerLikelihood(new GammaGammaParameters(g.p(), g.q() * factor, g.gamma())))
                    .isLessThan(fit.logLikelihood());
            assertThat(repeatBuyerLikelihood(new GammaGammaParameters(g.p(), g.q(), g.gamma() * factor)))
                    .isLessThan(fit.logLikelihood());
        }
    }

    @Test
    void expectedSpendShrinksOwnMeanTowardsThePopulationMean() {
        GammaGammaParameters g = fit.parameters();
        double population = GammaGamma.conditionalExpectedAverageValue(g, 0, Double.NaN);
        assertThat(population).isCloseTo(g.p() * g.gamma() / (g.q() - 1), within(1e-12));

        double fewPurchases = GammaGamma.conditionalExpectedAverageValue(g, 1, 100);
        double manyPurchases = GammaGamma.conditionalExpectedAverageValue(g, 30, 100);
        assertThat(fewPurchases).isBetween(population, 100.0);
        assertThat(manyPurchases).isBetween(fewPurchases, 100.0);
    }

    @Test
    void aRepeatBuyerWhoseRepeatPurchasesAverageZeroGetsTheFormulasAnswerNotThePopulationMean() {
        GammaGammaParameters g = fit.parameters();
        double population = GammaGamma.conditionalExpectedAverageValue(g, 0, Double.NaN);
        // E[M | x, m = 0] = p (gamma + x * 0) / (p x + q - 1), written out
        for (int x : new int[] {1, 4, 30}) {
            double expected = g.p() * g.gamma() / (g.p() * x + g.q() - 1);
            assertThat(GammaGamma.conditionalExpectedAverageValue(g, x, 0.0)).as("x = %d", x)
                    .isCloseTo(expected, within(1e-12 * expected)).isLessThan(population);
        }
        assertThat(GammaGamma.conditionalExpectedAverageValue(g, 30, 0.0))
                .as("the more free repeat purchases, the lower").isLessThan(GammaGamma.conditionalExpectedAverageValue(g, 1, 0.0));
    }

    @Test
    void lifetimeValueIsExpectedPurchasesTimesExpectedSpendAndDiscountingLowersIt() {
        BgNbdParameters bg = BgNbd.fit(customers).parameters();
        CustomerSummary c1516 = CdnowSample.summaries().get(1516);
        DoubleUnaryOperator purchases = t -> BgNbd.conditionalExpectedPurchases(bg, t, c1516.x(), c1516.tx(), c1516.T());
        GammaGammaParameters g = fit.parameters();

        double undiscounted = GammaGamma.customerLifetimeValue(g, c1516, purchases, 52, 0);
        double spend = GammaGamma.conditionalExpectedAverageValue(g, c1516.x(), c1516.meanRepeatValue());
        assertThat(undiscounted).isCloseTo(purchases.applyAsDouble(52) * spend, within(1e-9));

        double discounted = GammaGamma.customerLifetimeValue(g, c1516, purchases, 52, 0.002);
        assertThat(discounted).isLessThan(undiscounted).isGreaterThan(undiscounted / Math.pow(1.002, 52));
        // A vanishing rate converges to the undiscounted value (the weekly increments add up to E[Y(52)]).
        assertThat(GammaGamma.customerLifetimeValue(g, c1516, purchases, 52, 1e-12))
                .isCloseTo(undiscounted, within(1e-6 * undiscounted));
    }

    private static double repeatBuyerLikelihood(GammaGammaParameters g) {
        return customers.stream().filter(c -> c.x() > 0)
                .mapToDouble(c -> GammaGamma.logLikelihood(g, c.x(), c.meanRepeatValue())).sum();
    }
}
