package ru.svoykrug.hub.warehouse;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Set;

/**
 * The medical partners' connections ({@code medical: true}): their per-partner figures (RFM scopes, sales
 * and points per day) are for ops with the medical grant only. Read at every request: a connection may
 * be made medical at any time, and there are a handful.
 */
@Component
class MedicalConnections {

    private final JdbcTemplate jdbc;

    MedicalConnections(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Set<String> ids() {
        return Set.copyOf(jdbc.queryForList("SELECT id FROM ops.partner_connection WHERE medical", String.class));
    }
}
