package ru.svoykrug.hub.analytics.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CustomerSummaryTest {

    private static final LocalDate END = LocalDate.of(1997, 9, 30);

    private static Purchase buy(String day, String value) {
        return new Purchase(LocalDate.parse(day), new BigDecimal(value));
    }

    @Test
    void purchasesOfOneDayAreOnePurchaseWithTheirValuesSummed() {
        CustomerSummary summary = CustomerSummary.of(List.of(
                buy("1997-01-01", "10.00"),
                buy("1997-01-15", "5.00"),
                buy("1997-01-15", "7.50"),
                buy("1997-01-29", "20.00")), END);

        assertThat(summary.x()).isEqualTo(2);
        assertThat(summary.meanRepeatValue()).isEqualTo((12.50 + 20.00) / 2);
    }

    @Test
    void timesAreDaysOverSevenFromTheFirstPurchaseAndIgnoreTheHoldout() {
        CustomerSummary summary = CustomerSummary.of(List.of(
                buy("1997-03-05", "1"),
                buy("1997-01-01", "1"),
                buy("1997-10-01", "100")), END);

        assertThat(summary.x()).isEqualTo(1);
        assertThat(summary.tx()).isEqualTo(63 / 7.0);
        assertThat(summary.T()).isEqualTo(272 / 7.0);
        assertThat(summary.meanRepeatValue()).isEqualTo(1.0);
    }

    @Test
    void theFirstPurchaseIsLeftOutOfTheMeanValue() {
        CustomerSummary summary = CustomerSummary.of(List.of(
                buy("1997-01-01", "1000"), buy("1997-02-01", "10"), buy("1997-03-01", "30")), END);

        assertThat(summary.meanRepeatValue()).isEqualTo(20.0);
    }

    @Test
    void aOneTimeBuyerHasNoRepeatsAndNoMeanValue() {
        CustomerSummary summary = CustomerSummary.of(
                List.of(buy("1997-09-30", "3"), buy("1997-09-30", "4")), END);

        assertThat(summary.x()).isZero();
        assertThat(summary.tx()).isZero();
        assertThat(summary.T()).isZero();
        assertThat(summary.meanRepeatValue()).isNaN();
    }

    @Test
    void aCustomerWhoFirstBoughtAfterCalibrationCannotBeSummarised() {
        assertThatThrownBy(() -> CustomerSummary.of(List.of(buy("1997-10-01", "3")), END))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inconsistentTriplesAreRejected() {
        assertThatThrownBy(() -> new CustomerSummary(0, 1, 2, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CustomerSummary(1, 3, 2, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CustomerSummary(-1, 0, 2, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCdnowSampleReadsAsPublished() {
        Map<Integer, CustomerSummary> summaries = CdnowSample.summaries();

        assertThat(summaries).hasSize(2357);
        assertThat(summaries.values().stream().filter(c -> c.x() > 0)).hasSize(946);
        CustomerSummary c1516 = summaries.get(1516);
        assertThat(c1516.x()).isEqualTo(26);
        assertThat(c1516.tx()).isCloseTo(30.857, within(5e-4));
        assertThat(c1516.T()).isEqualTo(31.0);
    }
}
