package ru.svoykrug.hub.nightly;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

import java.time.Duration;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

final class NightlyTestSupport {

    private NightlyTestSupport() {
    }

    static JobExecution night(NightlyRuns runs, LocalDate date) {
        JobExecution night = runs.runAndWait(date, Duration.ofMinutes(5));
        assertThat(night.getStatus()).as("night of %s: %s", date, night.getExitStatus()).isEqualTo(BatchStatus.COMPLETED);
        return night;
    }
}
