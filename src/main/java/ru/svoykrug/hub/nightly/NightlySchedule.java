package ru.svoykrug.hub.nightly;

import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.infra.CronSchedules;

import java.util.Map;

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
        CronSchedules.schedule(scheduler, KEY, NightlyJob.class, "The nightly analytics", Map.of(NightlyJob.ZONE, zone), cron, zone);
    }
}
