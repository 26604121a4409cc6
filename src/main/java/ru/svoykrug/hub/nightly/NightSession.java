package ru.svoykrug.hub.nightly;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.stereotype.Component;

/**
 * Settings for the night's statements, for the step's transaction only. Memory: the server's defaults
 * (4 MB a sort) suit the API's small queries, while a night sorts and hashes millions of rows and would
 * otherwise spill them to disk. Plans: a statement is planned for its parameters every time (a generic
 * plan cannot tell a night of a hundred changed sales from a first night of ten million).
 */
@Component
class NightSession {

    private final String workMem;
    private final String maintenanceWorkMem;

    NightSession(NightlyProperties properties) {
        this.workMem = properties.workMem();
        this.maintenanceWorkMem = properties.maintenanceWorkMem();
    }

    /** Call first thing in a step's transaction. */
    void begin(JdbcOperations jdbc) {
        jdbc.queryForList("""
                SELECT set_config('work_mem', ?, true), set_config('maintenance_work_mem', ?, true),
                       set_config('plan_cache_mode', 'force_custom_plan', true)""",
                workMem, maintenanceWorkMem);
    }
}
