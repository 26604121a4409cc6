package ru.svoykrug.hub.nightly;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.customers.MeAnswers;

/**
 * Each step of the night outdates every kept answer of the customer API (V36); once the night has completed, the
 * answers of the customers who asked lately are computed again, so that the morning's requests are look-ups by
 * key. A failure here fails no night: those customers' first requests compute their answers, as without it.
 */
@Component
class WarmAnswersAfterNight implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(WarmAnswersAfterNight.class);

    private final MeAnswers answers;
    private final NightCalendar calendar;

    WarmAnswersAfterNight(MeAnswers answers, NightCalendar calendar) {
        this.answers = answers;
        this.calendar = calendar;
    }

    @Override
    public void afterJob(JobExecution night) {
        if (night.getStatus() != BatchStatus.COMPLETED) {
            return;
        }
        long started = System.nanoTime();
        try {
            int warmed = answers.warm(calendar.yesterday().plusDays(1));
            log.info("Night {}: {} kept answers of the customer API computed again in {} ms", night.getId(), warmed,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            log.warn("Night {}: the customer API's kept answers were not computed again: {}", night.getId(), e.getMessage());
        }
    }
}
