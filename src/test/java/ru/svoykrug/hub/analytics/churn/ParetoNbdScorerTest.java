package ru.svoykrug.hub.analytics.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The scorer gives what the per-customer functions give, and what the series formulas gave. */
class ParetoNbdScorerTest {

    private static final double WEEKS_90_DAYS = 90 / 7.0;
    private static final List<CustomerSummary> CDNOW = new ArrayList<>(CdnowSample.summaries().values());

    @Test
    void scoresEqualThePerCustomerFunctionsOnCdnow() {
        assertScorerMatches(new ParetoNbdParameters(0.553, 10.58, 0.606, 11.66), CDNOW);
    }

    @Test
    void scoresEqualThePerCustomerFunctionsOnTheRidge() {
        SyntheticCustomers data = SyntheticCustomers.paretoNbd(new ParetoNbdParameters(1, 8, 200, 17_000), 3_000,
                5, 104, 104, true);
        List<CustomerSummary> customers = new ArrayList<>();
        for (int i = 0; i < data.x.length; i++) {
            customers.add(new CustomerSummary(data.x[i], data.tx[i], data.T[i], data.x[i] == 0 ? Double.NaN : 1));
        }
        assertScorerMatches(new ParetoNbdParameters(1.05, 4.08, 200, 17_000), customers);
        assertScorerMatches(new ParetoNbdParameters(1.5, 20, 0.3, 2), customers);
    }

    @Test
    void arraysAndSummariesScoreAlike() {
        ParetoNbdScorer scorer = new ParetoNbdScorer(new ParetoNbdParameters(0.553, 10.58, 0.606, 11.66), 52);
        int n = CDNOW.size();
        int[] x = new int[n];
        double[] tx = new double[n];
        double[] T = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = CDNOW.get(i).x();
            tx[i] = CDNOW.get(i).tx();
            T[i] = CDNOW.get(i).T();
        }
        ParetoNbdScorer.Scores fromArrays = scorer.score(x, tx, T);
        ParetoNbdScorer.Scores fromList = scorer.score(CDNOW);
        assertThat(fromArrays.probabilityAlive()).containsExactly(fromList.probabilityAlive());
        assertThat(fromArrays.expectedPurchases()[0]).containsExactly(fromList.expectedPurchases()[0]);
    }

    @Test
    void inconsistentInputIsRejected() {
        ParetoNbdScorer scorer = new ParetoNbdScorer(new ParetoNbdParameters(0.553, 10.58, 0.606, 11.66), 52);
        assertThatThrownBy(() -> scorer.score(new int[] {1}, new double[] {5}, new double[] {4}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scorer.score(new int[] {1, 2}, new double[] {1}, new double[] {4}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParetoNbdScorer(new ParetoNbdParameters(1, 1, 1, 1), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertScorerMatches(ParetoNbdParameters p, List<CustomerSummary> customers) {
        ParetoNbdScorer.Scores scores = new ParetoNbdScorer(p, WEEKS_90_DAYS, 52).score(customers);
        for (int i = 0; i < customers.size(); i++) {
            CustomerSummary c = customers.get(i);
            double alive = scores.probabilityAlive()[i];
            assertThat(alive).isEqualTo(ParetoNbd.probabilityAlive(p, c.x(), c.tx(), c.T()));
            assertThat(alive).isCloseTo(SeriesReference.probabilityAlive(p, c.x(), c.tx(), c.T()), within(1e-9 * alive));
            double[] horizons = {WEEKS_90_DAYS, 52};
            for (int h = 0; h < horizons.length; h++) {
                double expected = scores.expectedPurchases()[h][i];
                assertThat(expected).isCloseTo(
                        ParetoNbd.conditionalExpectedPurchases(p, horizons[h], c.x(), c.tx(), c.T()),
                        within(1e-14 * expected));
                assertThat(expected).isCloseTo(
                        SeriesReference.conditionalExpectedPurchases(p, horizons[h], c.x(), c.tx(), c.T()),
                        within(1e-9 * expected));
            }
        }
    }
}
