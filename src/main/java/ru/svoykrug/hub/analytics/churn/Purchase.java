package ru.svoykrug.hub.analytics.churn;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/** One purchase (or visit) of a customer: the day it happened and what it was worth. */
public record Purchase(LocalDate day, BigDecimal value) {
    public Purchase {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(value, "value");
    }
}
