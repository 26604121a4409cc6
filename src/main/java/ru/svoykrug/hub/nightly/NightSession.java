package ru.svoykrug.hub.nightly;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.stereotype.Component;

/**
 * Settings for the night's statements, for the step's transaction only. Memory: the server's defaults
 * (4 MB a sort) suit the API's small queries, while a night sorts and hashes millions of rows and would
 * otherwise spill them to disk. Plans: a statement is planned for its parameters every time (a generic
 * plan cannot tell a night of a hundred changed sales from a first night of ten million).
 */
@Component
public class NightSession {

    private final String workMem;
    private final String maintenanceWorkMem;

    NightSession(@Value("${hub.nightly.work-mem:256MB}") String workMem,
                 @Value("${hub.nightly.maintenance-work-mem:512MB}") String maintenanceWorkMem) {
        this.workMem = workMem;
        this.maintenanceWorkMem = maintenanceWorkMem;
    }

    /** Call first thing in a step's transaction. */
    public void begin(JdbcOperations jdbc) {
        jdbc.queryForList("""
                SELECT set_config('work_mem', ?, true), set_config('maintenance_work_mem', ?, true),
                       set_config('plan_cache_mode', 'force_custom_plan', true)""",
                workMem, maintenanceWorkMem);
    }
}
