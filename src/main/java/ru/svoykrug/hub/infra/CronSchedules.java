package ru.svoykrug.hub.infra;

import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

import java.util.Map;
import java.util.TimeZone;

/**
 * Puts one of the hub's own jobs on Quartz's clustered schedule, as configured at this start: the job
 * and its cron trigger (same name and group) are stored, replacing what an earlier start stored. A missed
 * fire runs once when the scheduler is back.
 */
public final class CronSchedules {

    private CronSchedules() {
    }

    public static void schedule(Scheduler scheduler, JobKey key, Class<? extends Job> job, String description,
                                Map<String, String> data, String cron, String zone) throws SchedulerException {
        JobBuilder builder = JobBuilder.newJob(job).withIdentity(key).withDescription(description).storeDurably();
        data.forEach(builder::usingJobData);
        JobDetail detail = builder.build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(key.getName(), key.getGroup()).forJob(detail)
                .withSchedule(CronScheduleBuilder.cronSchedule(cron).inTimeZone(TimeZone.getTimeZone(zone))
                        .withMisfireHandlingInstructionFireAndProceed())
                .build();
        scheduler.addJob(detail, true);
        if (scheduler.checkExists(trigger.getKey())) {
            scheduler.rescheduleJob(trigger.getKey(), trigger);
        } else {
            scheduler.scheduleJob(trigger);
        }
    }
}
