package ru.svoykrug.hub.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Group commit of audit rows: whoever writes one waits until it is committed, as with an insert of its own, but
 * the rows of callers that arrive while a transaction is being written go together in the next one. Under
 * load one commit serves many API reads (a read's own insert and commit were a quarter of PostgreSQL's work for
 * {@code GET /customers/me}); alone, a row is written at once. Nothing is held in memory past its caller's
 * answer: a caller whose row could not be written gets the failure, as before.
 */
final class GroupCommit implements AutoCloseable {

    private static final int MOST_IN_ONE = 500;
    private static final long WAIT_SECONDS = 60;

    private record Pending(AuditEntry entry, CompletableFuture<Void> committed) {
    }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Consumer<List<AuditEntry>> writeAll;
    private final Thread writer;
    private volatile boolean open = true;

    /** {@code writeAll} writes its rows in one transaction, or throws and writes none. */
    GroupCommit(String name, Consumer<List<AuditEntry>> writeAll) {
        this.writeAll = writeAll;
        this.writer = new Thread(this::run, name);
        writer.setDaemon(true);
        writer.start();
    }

    /** Returns once {@code entry} is committed; throws what the write threw. */
    void write(AuditEntry entry) {
        if (!open) {
            writeAll.accept(List.of(entry));
            return;
        }
        Pending pending = new Pending(entry, new CompletableFuture<>());
        queue.add(pending);
        if (!open && queue.remove(pending)) {
            // closed while it was added, and the writer had gone: its own transaction
            writeAll.accept(List.of(entry));
            return;
        }
        try {
            pending.committed().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("The audit row could not be written", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The audit row was not written within " + WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the audit row was written", e);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (open || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            queue.drainTo(batch, MOST_IN_ONE - 1);
            List<AuditEntry> entries = new ArrayList<>(batch.size());
            for (Pending pending : batch) {
                entries.add(pending.entry());
            }
            try {
                writeAll.accept(entries);
                batch.forEach(pending -> pending.committed().complete(null));
            } catch (RuntimeException | Error e) {
                batch.forEach(pending -> pending.committed().completeExceptionally(e));
            }
            batch.clear();
        }
    }

    /** Writes what is waiting, then lets the writer go; later rows are written by their callers. */
    @Override
    public void close() {
        open = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
