package ru.svoykrug.hub.retention;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.quartz.QuartzJobBean;

/** The Quartz job that removes what is past its retention period. */
@DisallowConcurrentExecution
public class RetentionJob extends QuartzJobBean {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    private Retention retention;

    @Autowired
    public void setRetention(Retention retention) {
        this.retention = retention;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        try {
            retention.removeExpired();
        } catch (RuntimeException e) {
            log.error("Retention could not run: {}", e.getMessage());
        }
    }
}
