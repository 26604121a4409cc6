package ru.svoykrug.hub.analytics.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Fits recover the parameters customers were simulated from. The check is the likelihood-ratio statistic:
 * 2 (LL(fit) - LL(truth)) is asymptotically chi-squared with 4 degrees of freedom, so it must be >= 0 (the fit
 * is a maximum) and below 18.5 (the 99.9% quantile); the parameters themselves are checked loosely.
 * Continuous time, so the data follow the model exactly (daily rounding would add a small bias of its own).
 */
class SimulationRecoveryTest {

    private static final int CUSTOMERS = 40_000;
    private static final double CHI_SQUARED_4_999 = 18.47;

    @Test
    void bgNbdRecoversItsParameters() {
        BgNbdParameters truth = new BgNbdParameters(0.25, 4.5, 0.8, 2.5);
        SyntheticCustomers data = SyntheticCustomers.bgNbd(truth, CUSTOMERS, 11, 12, 52, false);
        GroupedCustomers customers = GroupedCustomers.of(data.x, data.tx, data.T);

        Fit<BgNbdParameters> fit = BgNbd.fit(customers);

        double statistic = 2 * (fit.logLikelihood() - BgNbd.logLikelihood(truth, customers));
        assertThat(statistic).isBetween(0.0, CHI_SQUARED_4_999);
        assertThat(fit.parameters().r()).isCloseTo(truth.r(), within(0.1 * truth.r()));
        assertThat(fit.parameters().alpha()).isCloseTo(truth.alpha(), within(0.1 * truth.alpha()));
        assertThat(fit.parameters().a()).isCloseTo(truth.a(), within(0.3 * truth.a()));
        assertThat(fit.parameters().b()).isCloseTo(truth.b(), within(0.3 * truth.b()));
    }

    @Test
    void paretoNbdRecoversItsParameters() {
        ParetoNbdParameters truth = new ParetoNbdParameters(0.55, 10.5, 0.6, 11.5);
        SyntheticCustomers data = SyntheticCustomers.paretoNbd(truth, CUSTOMERS, 12, 12, 52, false);
        GroupedCustomers customers = GroupedCustomers.of(data.x, data.tx, data.T);

        Fit<ParetoNbdParameters> fit = ParetoNbd.fit(customers);

        double statistic = 2 * (fit.logLikelihood() - ParetoNbd.logLikelihood(truth, customers));
        assertThat(statistic).isBetween(0.0, CHI_SQUARED_4_999);
        assertThat(fit.parameters().r()).isCloseTo(truth.r(), within(0.1 * truth.r()));
        assertThat(fit.parameters().alpha()).isCloseTo(truth.alpha(), within(0.1 * truth.alpha()));
        // s and beta are weakly identified from one year of data: a wide band.
        assertThat(fit.parameters().s()).isCloseTo(truth.s(), within(0.4 * truth.s()));
        assertThat(fit.parameters().beta()).isCloseTo(truth.beta(), within(0.6 * truth.beta()));
    }

    @Test
    void gammaGammaRecoversItsParameters() {
        GammaGammaParameters truth = new GammaGammaParameters(6, 4, 15);
        List<CustomerSummary> customers = SyntheticSpend.customers(truth, 20_000, 13);

        Fit<GammaGammaParameters> fit = GammaGamma.fit(customers);

        double atTruth = customers.stream()
                .mapToDouble(c -> GammaGamma.logLikelihood(truth, c.x(), c.meanRepeatValue())).sum();
        // Three parameters: the 99.9% quantile of chi-squared(3) is 16.27.
        assertThat(2 * (fit.logLikelihood() - atTruth)).isBetween(0.0, 16.27);
        assertThat(fit.parameters().p()).isCloseTo(truth.p(), within(0.15 * truth.p()));
        // p, q and gamma trade off along a ridge; the population mean spend p gamma / (q - 1) is well determined.
        double truthMean = GammaGamma.conditionalExpectedAverageValue(truth, 0, Double.NaN);
        assertThat(GammaGamma.conditionalExpectedAverageValue(fit.parameters(), 0, Double.NaN))
                .isCloseTo(truthMean, within(0.03 * truthMean));
    }
}
