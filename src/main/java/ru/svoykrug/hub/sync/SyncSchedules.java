package ru.svoykrug.hub.sync;

import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.PartnerConnection;

import java.util.TimeZone;

/**
 * Each connection's sync schedule as a Quartz job in the JDBC job store. The job does not run
 * concurrently with itself, which Quartz enforces across every hub node on the database.
 */
@Component
public class SyncSchedules {

    static final String GROUP = "partner-sync";

    private final Scheduler scheduler;

    public SyncSchedules(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    public void schedule(PartnerConnection c) {
        JobDetail job = JobBuilder.newJob(SyncJob.class)
                .withIdentity(jobKey(c.id()))
                .withDescription("Sync of partner connection " + c.id())
                .usingJobData(SyncJob.CONNECTION_ID, c.id())
                .storeDurably()
                .requestRecovery(false)
                .build();
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(TriggerKey.triggerKey(c.id(), GROUP))
                .forJob(job)
                .withSchedule(CronScheduleBuilder.cronSchedule(c.schedule())
                        .inTimeZone(TimeZone.getTimeZone(c.zone()))
                        .withMisfireHandlingInstructionDoNothing())
                .build();
        try {
            scheduler.addJob(job, true);
            if (scheduler.checkExists(trigger.getKey())) {
                scheduler.rescheduleJob(trigger.getKey(), trigger);
            } else {
                scheduler.scheduleJob(trigger);
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot schedule the sync of " + c.id() + ": " + e.getMessage(), e);
        }
    }

    /** Takes the connection's job and trigger away (a deleted connection). */
    public void unschedule(String connectionId) {
        try {
            scheduler.deleteJob(jobKey(connectionId));
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot unschedule the sync of " + connectionId + ": " + e.getMessage(), e);
        }
    }

    /** Asks for a run now; Quartz still keeps it from overlapping a run in progress. */
    public void triggerNow(String connectionId) {
        try {
            scheduler.triggerJob(jobKey(connectionId), new org.quartz.JobDataMap(java.util.Map.of(SyncJob.TRIGGER, "manual")));
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot start a sync of " + connectionId + ": " + e.getMessage(), e);
        }
    }

    static JobKey jobKey(String connectionId) {
        return JobKey.jobKey(connectionId, GROUP);
    }
}
