package ru.svoykrug.hub.nightly;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.format.annotation.DateTimeFormat;

import java.time.LocalDate;
import java.time.ZoneId;

/**
 * {@code hub.nightly.*} (jobs/nightly.yaml, config/application.yml).
 *
 * @param zone               the programme's zone: a business date is a day there, and the schedule runs in it
 * @param schedule           Quartz cron of the night, in {@code zone}
 * @param programmeStart     the earliest business date a night may be run for; unset: the local day of the earliest staged sale
 * @param workMem            PostgreSQL {@code work_mem} of a step's transaction (its sorts and hashes)
 * @param maintenanceWorkMem PostgreSQL {@code maintenance_work_mem} of a step's transaction (its index builds)
 * @param afterFirstSync     run a night for yesterday once the first sync of a new hub is done
 */
@ConfigurationProperties(prefix = "hub.nightly")
public record NightlyProperties(@DefaultValue("Europe/Moscow") ZoneId zone,
                                @DefaultValue("0 0 3 * * ?") String schedule,
                                @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate programmeStart,
                                @DefaultValue("256MB") String workMem,
                                @DefaultValue("512MB") String maintenanceWorkMem,
                                boolean afterFirstSync) {
}
