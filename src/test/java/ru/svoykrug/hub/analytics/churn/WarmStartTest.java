package ru.svoykrug.hub.analytics.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A fit from last night's estimates reaches the maximum a cold fit reaches, and a far-off start still gets
 * there (the warm search then falls back to the cold one's restarts).
 */
class WarmStartTest {

    private static final List<CustomerSummary> CUSTOMERS = new ArrayList<>(CdnowSample.summaries().values());
    private static final GroupedCustomers GROUPED = GroupedCustomers.of(CUSTOMERS);

    @Test
    void paretoNbdFromANearStartReachesTheColdMaximum() {
        Fit<ParetoNbdParameters> cold = ParetoNbd.fit(GROUPED);
        ParetoNbdParameters c = cold.parameters();
        for (double factor : new double[] {0.97, 1.03}) {
            Fit<ParetoNbdParameters> warm = ParetoNbd.fit(GROUPED,
                    new ParetoNbdParameters(c.r() * factor, c.alpha() / factor, c.s() * factor, c.beta() * factor));
            assertThat(warm.logLikelihood()).isCloseTo(cold.logLikelihood(), within(1e-6));
            assertSame(warm.parameters().r(), c.r());
            assertSame(warm.parameters().alpha(), c.alpha());
            assertSame(warm.parameters().s(), c.s());
            assertSame(warm.parameters().beta(), c.beta());
        }
    }

    @Test
    void paretoNbdFromAFarStartStillReachesIt() {
        Fit<ParetoNbdParameters> cold = ParetoNbd.fit(GROUPED);
        Fit<ParetoNbdParameters> far = ParetoNbd.fit(GROUPED, new ParetoNbdParameters(3, 1, 5, 100));
        assertThat(far.logLikelihood()).isCloseTo(cold.logLikelihood(), within(1e-4));
    }

    @Test
    void nullStartIsTheColdFit() {
        assertThat(ParetoNbd.fit(GROUPED, null)).isEqualTo(ParetoNbd.fit(GROUPED));
        assertThat(BgNbd.fit(GROUPED, null)).isEqualTo(BgNbd.fit(GROUPED));
        assertThat(GammaGamma.fit(CUSTOMERS, null)).isEqualTo(GammaGamma.fit(CUSTOMERS));
    }

    @Test
    void bgNbdFromANearStartReachesTheColdMaximum() {
        Fit<BgNbdParameters> cold = BgNbd.fit(GROUPED);
        BgNbdParameters c = cold.parameters();
        Fit<BgNbdParameters> warm = BgNbd.fit(GROUPED, new BgNbdParameters(c.r() * 1.03, c.alpha() * 0.97,
                c.a() * 1.03, c.b() * 1.03));
        assertThat(warm.logLikelihood()).isCloseTo(cold.logLikelihood(), within(1e-6));
        assertSame(warm.parameters().r(), c.r());
        assertSame(warm.parameters().alpha(), c.alpha());
        assertSame(warm.parameters().a(), c.a());
        assertSame(warm.parameters().b(), c.b());
    }

    @Test
    void gammaGammaFromANearStartReachesTheColdMaximum() {
        Fit<GammaGammaParameters> cold = GammaGamma.fit(CUSTOMERS);
        GammaGammaParameters c = cold.parameters();
        Fit<GammaGammaParameters> warm = GammaGamma.fit(CUSTOMERS,
                new GammaGammaParameters(c.p() * 1.03, c.q() * 0.97, c.gamma() * 1.03));
        assertThat(warm.logLikelihood()).isCloseTo(cold.logLikelihood(), within(1e-6));
        assertSame(warm.parameters().p(), c.p());
        assertSame(warm.parameters().q(), c.q());
        assertSame(warm.parameters().gamma(), c.gamma());
    }

    @Test
    void aLargeSampleIsFittedFromASearchOnAnEvenlySpreadSubset() {
        SyntheticCustomers data = SyntheticCustomers.paretoNbd(new ParetoNbdParameters(0.55, 10.5, 0.6, 11.5), 30_000,
                21, 12, 52, true);
        GroupedCustomers all = GroupedCustomers.of(data.x, data.tx, data.T);
        GroupedCustomers subset = all.everyNth(6);
        assertThat(subset.customers()).isEqualTo(5_000);

        Fit<ParetoNbdParameters> fit = ParetoNbd.fit(all);
        // The full search from the same cold start, without the subset, reaches the same maximum.
        double scale = StartValues.rateScale(all);
        LogSpaceMaximizer.Result direct = LogSpaceMaximizer.maximize(
                v -> ParetoNbd.logLikelihood(new ParetoNbdParameters(v[0], v[1], v[2], v[3]), all),
                new double[] {1, scale, 1, scale});
        assertThat(fit.logLikelihood()).isCloseTo(direct.logLikelihood(), within(1e-4));
    }

    /** Within 1e-3 relative: the warm search stops at a trust radius of 1e-6 in log space. */
    private static void assertSame(double warm, double cold) {
        assertThat(warm).isCloseTo(cold, within(1e-3 * cold));
    }
}
