package ru.svoykrug.hub.sync;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.quartz.QuartzJobBean;
import ru.svoykrug.hub.connections.UnknownConnectionException;

/** The Quartz job of one connection's sync. */
@DisallowConcurrentExecution
public class SyncJob extends QuartzJobBean {

    static final String CONNECTION_ID = "connectionId";
    static final String TRIGGER = "trigger";
    static final String BACKFILL_FROM = "backfillFrom";

    private static final Logger log = LoggerFactory.getLogger(SyncJob.class);

    private SyncRunner runner;

    @Autowired
    public void setRunner(SyncRunner runner) {
        this.runner = runner;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        String connectionId = context.getMergedJobDataMap().getString(CONNECTION_ID);
        String trigger = context.getMergedJobDataMap().containsKey(TRIGGER)
                ? context.getMergedJobDataMap().getString(TRIGGER) : "schedule";
        try {
            String backfillFrom = context.getMergedJobDataMap().getString(BACKFILL_FROM);
            if (backfillFrom != null) {
                runner.backfill(connectionId, java.time.Instant.parse(backfillFrom));
            } else {
                runner.run(connectionId, trigger);
            }
        } catch (ConnectionNotActiveException | SyncAlreadyRunningException | UnknownConnectionException e) {
            log.info("Sync of {} skipped: {}", connectionId, e.getMessage());
        } catch (RuntimeException e) {
            log.error("Sync of {} failed to run: {}", connectionId, e.toString());
        }
    }
}
