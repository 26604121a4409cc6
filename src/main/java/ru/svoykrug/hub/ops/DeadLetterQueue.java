package ru.svoykrug.hub.ops;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;

/**
 * A connection's dead letters as ops handle them (listed by {@code staging.DeadLetters#list}): discarded
 * one by one or all, or replayed. Replaying re-reads the streams that have dead letters from their start (their cursors are forgotten): a record fixed at the vendor is staged
 * and its dead letter settled by the run ({@code staging.DeadLetters#settle}); one still wrong stays, and
 * the rows already staged are upserted unchanged.
 */
@Repository
class DeadLetterQueue {

    private final JdbcTemplate jdbc;

    DeadLetterQueue(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean discard(String connectionId, long id) {
        return jdbc.update("DELETE FROM ops.dead_letter WHERE connection_id = ? AND id = ?", connectionId, id) == 1;
    }

    int discardAll(String connectionId) {
        return jdbc.update("DELETE FROM ops.dead_letter WHERE connection_id = ?", connectionId);
    }

    /** Forgets the cursors of the streams that have dead letters; returns those streams. */
    @Transactional
    List<String> rewindStreamsWithDeadLetters(String connectionId) {
        List<String> streams = jdbc.queryForList(
                "SELECT DISTINCT stream FROM ops.dead_letter WHERE connection_id = ? ORDER BY stream", String.class, connectionId);
        for (String stream : streams) {
            jdbc.update("DELETE FROM ops.sync_cursor WHERE connection_id = ? AND stream = ?", connectionId, stream);
        }
        return streams;
    }

    boolean running(String connectionId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM ops.sync_run WHERE connection_id = ? AND status = 'RUNNING')", Boolean.class, connectionId));
    }


    /** A rejected record: its source id, the fields that failed and why; never its values. */
}
