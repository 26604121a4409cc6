package ru.svoykrug.hub.analytics.churn;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the models know of one customer at the end of the calibration period.
 *
 * @param x               number of repeat purchase days (distinct purchase days minus one)
 * @param tx              weeks from the first to the last purchase (0 when x = 0)
 * @param T               weeks from the first purchase to the end of calibration
 * @param meanRepeatValue mean value of the repeat purchases (the first purchase left out, as Gamma-Gamma
 *                        expects); NaN when x = 0
 */
public record CustomerSummary(int x, double tx, double T, double meanRepeatValue) {

    private static final double DAYS_PER_WEEK = 7.0;

    public CustomerSummary {
        checkTriple(x, tx, T);
        if (x == 0 && !Double.isNaN(meanRepeatValue)) {
            throw new IllegalArgumentException("a customer without repeat purchases has no mean repeat value");
        }
    }

    /** The consistency every model input needs: x >= 0, 0 <= tx <= T finite, and tx = 0 when x = 0. */
    static void checkTriple(int x, double tx, double T) {
        if (x < 0) {
            throw new IllegalArgumentException("x must not be negative, was " + x);
        }
        if (!(tx >= 0) || !(T >= tx) || Double.isInfinite(T)) {
            throw new IllegalArgumentException("need 0 <= tx <= T (finite), was tx=" + tx + ", T=" + T);
        }
        if (x == 0 && tx != 0) {
            throw new IllegalArgumentException("a customer without repeat purchases has tx = 0, was " + tx);
        }
    }

    /**
     * Summarises a purchase log at the end of calibration, by the rules of the published CDNOW results:
     * purchases after {@code calibrationEnd} are ignored (they are the holdout), purchases of one day count as
     * one purchase with their values summed, and times are days / 7.
     *
     * @throws IllegalArgumentException when the customer made no purchase on or before {@code calibrationEnd}
     */
    public static CustomerSummary of(List<Purchase> purchases, LocalDate calibrationEnd) {
        Objects.requireNonNull(calibrationEnd, "calibrationEnd");
        TreeMap<LocalDate, BigDecimal> byDay = new TreeMap<>();
        for (Purchase purchase : purchases) {
            if (!purchase.day().isAfter(calibrationEnd)) {
                byDay.merge(purchase.day(), purchase.value(), BigDecimal::add);
            }
        }
        if (byDay.isEmpty()) {
            throw new IllegalArgumentException("no purchase on or before " + calibrationEnd);
        }
        LocalDate first = byDay.firstKey();
        LocalDate last = byDay.lastKey();
        int x = byDay.size() - 1;
        double tx = ChronoUnit.DAYS.between(first, last) / DAYS_PER_WEEK;
        double T = ChronoUnit.DAYS.between(first, calibrationEnd) / DAYS_PER_WEEK;
        return new CustomerSummary(x, tx, T, meanOfRepeats(byDay));
    }

    private static double meanOfRepeats(TreeMap<LocalDate, BigDecimal> byDay) {
        if (byDay.size() < 2) {
            return Double.NaN;
        }
        // The first purchase is left out: Gamma-Gamma models the spend of repeat purchases only.
        BigDecimal total = byDay.tailMap(byDay.firstKey(), false).values().stream()
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return total.doubleValue() / (byDay.size() - 1);
    }
}
