package ru.svoykrug.hub.nightly;

import java.time.LocalDate;

/** Published by each step of the night as its last act, inside its transaction ({@link NightSteps}). */
record NightlyStepDone(String step, LocalDate businessDate) {
}
