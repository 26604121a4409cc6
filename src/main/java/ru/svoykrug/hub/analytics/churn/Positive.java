package ru.svoykrug.hub.analytics.churn;

/** Checks shared by the parameter records: every model parameter is a positive finite number. */
final class Positive {
    private Positive() {
    }

    static void require(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite, was " + value);
        }
    }
}
