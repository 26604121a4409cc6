package ru.svoykrug.hub.retention;

import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.infra.CronSchedules;

import java.util.Map;

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
        CronSchedules.schedule(scheduler, KEY, RetentionJob.class, "Removes sync runs, dead letters and audit entries past their periods",
                Map.of(), properties.schedule(), properties.zone().getId());
    }
}
