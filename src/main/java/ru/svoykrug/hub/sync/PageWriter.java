package ru.svoykrug.hub.sync;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.staging.DeadLetters;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.staging.StagingWriter;

import java.util.Map;

/**
 * Writes one mapped page of a stream: its rows, its dead letters, the stream's cursor and the run's counts,
 * all in one transaction, so that a crash at any point leaves the cursor exactly where the rows are.
 */
@Component
public class PageWriter {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SyncCursors cursors;
    private final StagingWriter staging;
    private final DeadLetters deadLetters;
    private final ApplicationEventPublisher events;
    private final SyncProperties.MappingBroken broken;

    public PageWriter(JdbcTemplate jdbc, TransactionTemplate tx, SyncCursors cursors, StagingWriter staging,
                      DeadLetters deadLetters, ApplicationEventPublisher events, SyncProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.cursors = cursors;
        this.staging = staging;
        this.deadLetters = deadLetters;
        this.events = events;
        this.broken = properties.mappingBroken();
    }

    /** Commits the page and moves the stream on; throws when the stream's records look like a changed format. */
    void write(StreamSync sync, Page page) {
        StreamCursor committed = write(sync, page.rows(), page.cursor());
        sync.committed(committed, page.more());
        events.publishEvent(new PageCommitted(sync.connection().id(), sync.stream(), sync.runId(), page.rows().recordsRead()));
        // Judged when the stream ends, over the whole run: a few bad pages among good ones are no format change.
        if (!page.more() && sync.mappingBroken(broken.minRecords(), broken.rejectedShare())) {
            throw new MappingBrokenException(sync.stream(), sync.recordsRejected(), sync.recordsRead());
        }
    }

    private StreamCursor write(StreamSync sync, StagedPage page, Map<String, String> nextPosition) {
        PartnerConnection c = sync.connection();
        int[] rejected = new int[1];
        StreamCursor cursor = tx.execute(status -> {
            page.beforeRows.forEach(work -> work.accept(jdbc));
            long written = staging.upsert(c, page);
            page.inTransaction.forEach(work -> work.accept(jdbc));
            deadLetters.settle(c.id(), sync.stream(), page.mapped);
            rejected[0] = deadLetters.keep(c.id(), sync.runId(), sync.stream(), page.rejected);
            StreamCursor moved = cursors.move(c.id(), sync.cursorKey(), sync.position(), nextPosition);
            jdbc.update("""
                    UPDATE ops.sync_run SET pages = pages + 1, records_read = records_read + ?,
                           records_written = records_written + ?, records_rejected = records_rejected + ?
                     WHERE id = ?""", page.recordsRead(), written, rejected[0], sync.runId());
            return moved;
        });
        sync.counted(page.recordsRead(), rejected[0]);
        return cursor;
    }

    /** Published after a page is durably written. */
    public record PageCommitted(String connectionId, String stream, long runId, int recordsRead) {
    }
}
