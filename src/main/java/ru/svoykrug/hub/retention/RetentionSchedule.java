package ru.svoykrug.hub.retention;

import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.TimeZone;

/** Puts retention on Quartz's clustered schedule ({@code hub.retention.schedule}, default 04:30 daily). */
@Component
class RetentionSchedule {

    static final JobKey KEY = JobKey.jobKey("retention", "housekeeping");

    private final Scheduler scheduler;
    private final RetentionProperties properties;

    RetentionSchedule(Scheduler scheduler, RetentionProperties properties) {
        this.scheduler = scheduler;
        this.properties = properties;
    }

    @EventListener(ApplicationStartedEvent.class)
    void schedule() throws SchedulerException {
        JobDetail job = JobBuilder.newJob(RetentionJob.class).withIdentity(KEY)
                .withDescription("Removes sync runs, dead letters and audit entries past their periods").storeDurably().build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(KEY.getName(), KEY.getGroup()).forJob(job)
                .withSchedule(CronScheduleBuilder.cronSchedule(properties.schedule())
                        .inTimeZone(TimeZone.getTimeZone(properties.zone()))
                        .withMisfireHandlingInstructionFireAndProceed())
                .build();
        scheduler.addJob(job, true);
        if (scheduler.checkExists(trigger.getKey())) {
            scheduler.rescheduleJob(trigger.getKey(), trigger);
        } else {
            scheduler.scheduleJob(trigger);
        }
    }
}
