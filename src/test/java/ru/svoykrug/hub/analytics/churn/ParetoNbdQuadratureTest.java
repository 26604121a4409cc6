package ru.svoykrug.hub.analytics.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The dying-unseen term by quadrature agrees with the series it replaces where that series is long, and the
 * model's choice between the two is invisible in the results: over the CDNOW regime (alpha near beta, z small)
 * and the large-dropout-parameter regime of big circles (s in the hundreds, beta in the tens of thousands,
 * z within 1e-3 of 1), both orders of alpha and beta, and purchase counts from 0 to 300.
 */
class ParetoNbdQuadratureTest {

    private static final List<ParetoNbdParameters> PARAMETERS = List.of(
            new ParetoNbdParameters(0.553, 10.58, 0.606, 11.66),   // CDNOW
            new ParetoNbdParameters(1.5, 20, 0.3, 2),              // alpha > beta
            new ParetoNbdParameters(1.05, 4.08, 200, 17_000),      // the benchmark's ridge
            new ParetoNbdParameters(1.0, 8, 1_000, 84_000),        // further out on it
            new ParetoNbdParameters(0.3, 0.5, 5, 50),              // z near 1 with a small s
            new ParetoNbdParameters(0.8, 3_000, 2, 0.7));          // alpha far above beta
    private static final int[] XS = {0, 1, 3, 10, 50, 300};
    private static final double[][] TX_T = {{0, 10}, {0, 104}, {5, 60}, {30, 31}, {100, 104}, {2, 2.142857}};

    @Test
    void dyingUnseenAgreesWithTheSeriesOnAGrid() {
        int compared = 0;
        for (ParetoNbdParameters p : PARAMETERS) {
            UnseenDropout dropout = new UnseenDropout(p);
            for (int x : XS) {
                for (double[] c : TX_T) {
                    double tx = x == 0 ? 0 : c[0];
                    double reference = SeriesReference.logUnseen(p, x, tx, c[1]);
                    assertThat(dropout.log(x, tx, c[1]))
                            .as("%s x=%d tx=%s T=%s", p, x, tx, c[1])
                            .isCloseTo(reference, within(tolerance(p, x, tx, c[1], reference)));
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(PARAMETERS.size() * XS.length * TX_T.length);
    }

    @Test
    void quadratureAgreesWithTheSeriesOnRandomIntegrals() {
        Random random = new Random(7);
        for (int i = 0; i < 3_000; i++) {
            double p = logUniform(random, 0.05, 300);
            double q = logUniform(random, 0.05, 300);
            if (p + q <= 1.05) {
                continue;
            }
            double m = logUniform(random, 0.01, 1e4);
            double bigM = m * logUniform(random, 1, 1e3);
            double y0 = random.nextInt(3) == 0 ? 0 : 150 * random.nextDouble();
            double y1 = y0 + logUniform(random, 0.1, 150);
            double reference = SeriesReference.logIntegral(p, q, m, bigM, y0, y1);
            double cancellation = SeriesReference.cancellation(p, q, m, bigM, y0, y1);
            assertThat(PowerProductIntegral.log(p, q, m, bigM, y0, y1))
                    .as("p=%s q=%s m=%s M=%s y0=%s y1=%s", p, q, m, bigM, y0, y1)
                    .isCloseTo(reference, within((1e-12 + 2e-13 * cancellation) * Math.max(1, Math.abs(reference))));
        }
    }

    @Test
    void logLikelihoodAgreesWithTheSeriesToOneInTenBillion() {
        for (ParetoNbdParameters p : PARAMETERS) {
            for (int x : XS) {
                for (double[] c : TX_T) {
                    double tx = x == 0 ? 0 : c[0];
                    double reference = SeriesReference.logLikelihood(p, x, tx, c[1]);
                    // Relative to the likelihood itself where its log is near 0 (a likelihood near 1).
                    assertThat(ParetoNbd.logLikelihood(p, x, tx, c[1]))
                            .isCloseTo(reference, within(1e-10 * Math.max(1, Math.abs(reference))));
                }
            }
        }
    }

    @Test
    void aNegligibleTailIsCutOffWithoutChangingTheIntegral() {
        // x = 300: the integrand falls by e^-40 within a fraction of the range; the rest is left out.
        double reference = SeriesReference.logIntegral(300.5, 201, 4, 17_000, 1, 104);
        assertThat(PowerProductIntegral.log(300.5, 201, 4, 17_000, 1, 104))
                .isCloseTo(reference, within(1e-12 * Math.abs(reference)));
        assertThat(PowerProductIntegral.log(2, 3, 1, 5, 7, 7)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void groupedLikelihoodOnTheRidgeIsTheSumOverCustomers() {
        SyntheticCustomers data = SyntheticCustomers.paretoNbd(new ParetoNbdParameters(1, 8, 200, 17_000), 2_000,
                3, 104, 104, true);
        GroupedCustomers grouped = GroupedCustomers.of(data.x, data.tx, data.T);
        ParetoNbdParameters p = new ParetoNbdParameters(1.05, 4.08, 200, 17_000);
        double sum = 0;
        for (int i = 0; i < data.x.length; i++) {
            sum += SeriesReference.logLikelihood(p, data.x[i], data.tx[i], data.T[i]);
        }
        assertThat(ParetoNbd.logLikelihood(p, grouped)).isCloseTo(sum, within(1e-10 * Math.abs(sum)));
    }

    private static double tolerance(ParetoNbdParameters p, int x, double tx, double T, double reference) {
        boolean alphaLarger = p.alpha() >= p.beta();
        double m = Math.min(p.alpha(), p.beta());
        double bigM = Math.max(p.alpha(), p.beta());
        double pSmall = alphaLarger ? p.s() + 1 : p.r() + x;
        double qBig = alphaLarger ? p.r() + x : p.s() + 1;
        double cancellation = SeriesReference.cancellation(pSmall, qBig, m, bigM, tx, T);
        return (1e-12 + 2e-13 * cancellation) * Math.max(1, Math.abs(reference));
    }

    private static double logUniform(Random random, double from, double to) {
        return Math.exp(Math.log(from) + random.nextDouble() * (Math.log(to) - Math.log(from)));
    }
}
