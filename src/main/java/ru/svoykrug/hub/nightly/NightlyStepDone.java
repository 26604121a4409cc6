package ru.svoykrug.hub.nightly;

import java.time.LocalDate;

/** Published by each step of the night as its last act, inside its transaction. */
public record NightlyStepDone(String step, LocalDate businessDate) {
}
