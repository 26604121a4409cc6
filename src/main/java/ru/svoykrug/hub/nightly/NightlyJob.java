package ru.svoykrug.hub.nightly;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.scheduling.quartz.QuartzJobBean;

import java.time.Duration;
import java.time.LocalDate;

/** The Quartz job that starts the night of the business day that just ended, and waits for it. */
@DisallowConcurrentExecution
public class NightlyJob extends QuartzJobBean {

    static final String ZONE = "zone";
    private static final Logger log = LoggerFactory.getLogger(NightlyJob.class);

    private NightlyRuns runs;
    private NightCalendar calendar;

    @Autowired
    public void setRuns(NightlyRuns runs) {
        this.runs = runs;
    }

    @Autowired
    public void setCalendar(NightCalendar calendar) {
        this.calendar = calendar;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        LocalDate businessDate = calendar.yesterday();
        try {
            JobExecution night = runs.runAndWait(businessDate, Duration.ofHours(6));
            log.info("Night of {} ended {}", businessDate, night.getStatus());
        } catch (RuntimeException e) {
            log.error("Night of {} could not run: {}", businessDate, e.getMessage());
        }
    }
}
