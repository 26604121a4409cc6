package ru.svoykrug.hub.analytics.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.hipparchus.special.Gamma;
import org.junit.jupiter.api.Test;

/**
 * The closed forms checked against independent computations (quadrature, closed-form special cases, limits),
 * including where the printed formulas would overflow or divide 0 by 0.
 */
class NumericsTest {

    @Test
    void hypergeometricSeriesMatchesClosedForms() {
        for (double z : new double[] {0, 0.1, 0.5, 0.9, 0.99}) {
            double log = z == 0 ? 1 : -Math.log1p(-z) / z;
            assertThat(Hypergeometric.f21(1, 1, 2, z)).isCloseTo(log, within(1e-13 * log));
            double power = Math.pow(1 - z, -0.7);
            assertThat(Hypergeometric.f21(0.7, 2.5, 2.5, z)).isCloseTo(power, within(1e-13 * power));
            // (2F1(a, b; c; z) - 1) / b at b = 1 is the plain series minus one.
            assertThat(Hypergeometric.f21MinusOneOverB(1, 1, 2, z)).isCloseTo(log - 1, within(1e-13 * log));
        }
    }

    @Test
    void paretoNbdLikelihoodMatchesQuadratureOfItsDefinition() {
        // L = Gamma(r+x)/Gamma(r) alpha^r beta^s [ (alpha+T)^-(r+x) (beta+T)^-s
        //       + s * integral_{tx}^{T} (alpha+y)^-(r+x) (beta+y)^-(s+1) dy ]
        for (ParetoNbdParameters p : new ParetoNbdParameters[] {
                new ParetoNbdParameters(0.553, 10.58, 0.606, 11.66),
                new ParetoNbdParameters(1.5, 20, 0.3, 2),
                new ParetoNbdParameters(0.8, 3, 1.7, 3)}) {
            for (int[] customer : new int[][] {{0, 0, 39}, {3, 10, 30}, {26, 30, 31}, {60, 5, 78}}) {
                int x = customer[0];
                double tx = customer[1];
                double T = customer[2];
                double integral = simpson(y -> Math.pow(p.alpha() + y, -(p.r() + x))
                        * Math.pow(p.beta() + y, -(p.s() + 1)), tx, T);
                double bracket = Math.pow(p.alpha() + T, -(p.r() + x)) * Math.pow(p.beta() + T, -p.s())
                        + p.s() * integral;
                double expected = Gamma.logGamma(p.r() + x) - Gamma.logGamma(p.r()) + p.r() * Math.log(p.alpha())
                        + p.s() * Math.log(p.beta()) + Math.log(bracket);
                assertThat(ParetoNbd.logLikelihood(p, x, tx, T))
                        .isCloseTo(expected, within(1e-10 * Math.max(1, Math.abs(expected))));
            }
        }
    }

    @Test
    void bgNbdExpectationIsSmoothThroughAEqualsOne() {
        // (a + b - 1) / (a - 1) [ ... ] is 0/0 at a = 1; the value there must sit between its neighbours.
        double below = BgNbd.conditionalExpectedPurchases(new BgNbdParameters(0.5, 4, 1 - 1e-7, 2), 52, 3, 20, 30);
        double at = BgNbd.conditionalExpectedPurchases(new BgNbdParameters(0.5, 4, 1, 2), 52, 3, 20, 30);
        double above = BgNbd.conditionalExpectedPurchases(new BgNbdParameters(0.5, 4, 1 + 1e-7, 2), 52, 3, 20, 30);
        assertThat(at).isFinite().isCloseTo((below + above) / 2, within(1e-9));
        assertThat(Math.abs(above - below)).isLessThan(1e-5);
    }

    @Test
    void bgNbdExpectationMatchesADirectSeriesWhereThatIsSafe() {
        // The printed form (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)].
        BgNbdParameters p = new BgNbdParameters(0.2426, 4.4137, 0.7930, 2.4262);
        int x = 4;
        double T = 30;
        double t = 39;
        double z = t / (p.alpha() + T + t);
        double bracket = 1 - Math.pow((p.alpha() + T) / (p.alpha() + T + t), p.r() + x)
                * Hypergeometric.f21(p.r() + x, p.b() + x, p.a() + p.b() + x - 1, z);
        double givenAlive = (p.a() + p.b() + x - 1) / (p.a() - 1) * bracket;
        double expected = givenAlive * BgNbd.probabilityAlive(p, x, 25, T);
        assertThat(BgNbd.conditionalExpectedPurchases(p, t, x, 25, T)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void heavyBuyersDoNotOverflow() {
        BgNbdParameters bg = new BgNbdParameters(0.2426, 4.4137, 0.7930, 2.4262);
        // 2000 purchases in 104 weeks, the last one today: about 19 a week, and dropout per purchase is now
        // known to be rare (posterior mean a / (a + b + x) ~ 4e-4), so several hundred in the next 52 weeks.
        double bgHeavy = BgNbd.conditionalExpectedPurchases(bg, 52, 2000, 104, 104);
        assertThat(bgHeavy).isBetween(500.0, 1000.0);
        // The same buyer silent for the last week has almost surely dropped out: 19 a week, none seen. Odds of
        // dropout a / (b + x - 1) ((alpha + T) / (alpha + tx))^(r + x) = e^10.70, so P(alive) = 2.25e-5.
        assertThat(BgNbd.probabilityAlive(bg, 2000, 103, 104)).isCloseTo(2.25e-5, within(0.01e-5));
        assertThat(BgNbd.conditionalExpectedPurchases(bg, 52, 2000, 103, 104)).isLessThan(0.1 * bgHeavy);
        assertThat(BgNbd.logLikelihood(bg, 2000, 103, 104)).isFinite();

        ParetoNbdParameters pareto = new ParetoNbdParameters(0.553, 10.58, 0.606, 11.66);
        assertThat(ParetoNbd.logLikelihood(pareto, 2000, 100, 104)).isFinite();
        assertThat(ParetoNbd.logLikelihood(new ParetoNbdParameters(0.553, 11.66, 0.606, 10.58), 2000, 100, 104))
                .isFinite();
        assertThat(ParetoNbd.probabilityAlive(pareto, 2000, 100, 104)).isBetween(0.0, 1e-6);
        assertThat(ParetoNbd.probabilityAlive(pareto, 2000, 104, 104)).isEqualTo(1.0);
    }

    @Test
    void paretoNbdExpectationsAreSmoothThroughSEqualsOne() {
        double below = ParetoNbd.expectedPurchases(new ParetoNbdParameters(0.5, 10, 1 - 1e-9, 12), 52);
        double at = ParetoNbd.expectedPurchases(new ParetoNbdParameters(0.5, 10, 1, 12), 52);
        double above = ParetoNbd.expectedPurchases(new ParetoNbdParameters(0.5, 10, 1 + 1e-9, 12), 52);
        assertThat(at).isCloseTo(0.5 * 12 / 10 * Math.log1p(52 / 12.0), within(1e-12));
        assertThat(below).isCloseTo(at, within(1e-7));
        assertThat(above).isCloseTo(at, within(1e-7));
    }

    @Test
    void expectationsForANewCustomerAgreeWithTheConditionalOnesAtTimeZero() {
        BgNbdParameters bg = new BgNbdParameters(0.2426, 4.4137, 0.7930, 2.4262);
        assertThat(BgNbd.conditionalExpectedPurchases(bg, 52, 0, 0, 0)).isEqualTo(BgNbd.expectedPurchases(bg, 52));
        ParetoNbdParameters pareto = new ParetoNbdParameters(0.553, 10.58, 0.606, 11.66);
        assertThat(ParetoNbd.conditionalExpectedPurchases(pareto, 52, 0, 0, 0))
                .isCloseTo(ParetoNbd.expectedPurchases(pareto, 52), within(1e-12));
    }

    private static double simpson(java.util.function.DoubleUnaryOperator f, double from, double to) {
        int n = 20_000;
        double h = (to - from) / n;
        double sum = f.applyAsDouble(from) + f.applyAsDouble(to);
        for (int i = 1; i < n; i++) {
            sum += f.applyAsDouble(from + i * h) * (i % 2 == 1 ? 4 : 2);
        }
        return sum * h / 3;
    }
}
