package ru.svoykrug.hub.nightly;

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

/** Puts the night on Quartz's clustered schedule, as jobs/nightly.yaml says (default 03:00 Europe/Moscow). */
@Component
class NightlySchedule {

    private static final JobKey KEY = JobKey.jobKey("nightly", "analytics");

    private final Scheduler scheduler;
    private final String cron;
    private final String zone;

    NightlySchedule(Scheduler scheduler, NightlyProperties properties) {
        this.scheduler = scheduler;
        this.cron = properties.schedule();
        this.zone = properties.zone().getId();
    }

    @EventListener(ApplicationStartedEvent.class)
    void schedule() throws SchedulerException {
        JobDetail job = JobBuilder.newJob(NightlyJob.class).withIdentity(KEY).usingJobData(NightlyJob.ZONE, zone)
                .withDescription("The nightly analytics").storeDurably().build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity("nightly", "analytics").forJob(job)
                .withSchedule(CronScheduleBuilder.cronSchedule(cron).inTimeZone(TimeZone.getTimeZone(zone))
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
