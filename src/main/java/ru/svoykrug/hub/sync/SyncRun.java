package ru.svoykrug.hub.sync;

import java.time.Instant;

/** One run of one connection, as {@code ops.sync_run} records it and the ops API shows it. */
public record SyncRun(long id, String connectionId, String trigger, Instant startedAt, Instant finishedAt,
                      SyncRunStatus status, int pages, long recordsRead, long recordsWritten, long recordsRejected,
                      String errorClass, String errorMessage, String notes) {
}
