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
import java.time.ZoneId;

/** The Quartz job that starts the night of the business day that just ended, and waits for it. */
@DisallowConcurrentExecution
public class NightlyJob extends QuartzJobBean {

    static final String ZONE = "zone";
    private static final Logger log = LoggerFactory.getLogger(NightlyJob.class);

    private NightlyRuns runs;

    @Autowired
    public void setRuns(NightlyRuns runs) {
        this.runs = runs;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        LocalDate businessDate = LocalDate.now(ZoneId.of(context.getMergedJobDataMap().getString(ZONE))).minusDays(1);
        try {
            JobExecution night = runs.runAndWait(businessDate, Duration.ofHours(6));
            log.info("Night of {} ended {}", businessDate, night.getStatus());
        } catch (RuntimeException e) {
            log.error("Night of {} could not run: {}", businessDate, e.getMessage());
        }
    }
}
