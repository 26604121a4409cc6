package ru.svoykrug.hub.audit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rows written together, each caller back only once its own is written, failures to every caller of the batch. */
class GroupCommitTest {

    private static AuditEntry read(long customer) {
        return AuditEntry.of(new Actor(Long.toString(customer), "CUSTOMER"), AuditEntry.Action.READ, customer,
                "GET /api/v1/customers/me", "points");
    }

    @Test
    void concurrentCallersShareTransactionsAndEachReturnsOnlyAfterItsRowIsWritten() throws Exception {
        List<List<AuditEntry>> transactions = Collections.synchronizedList(new ArrayList<>());
        List<Long> written = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit commits = new GroupCommit("test-reads", entries -> {
            if (transactions.isEmpty()) {
                firstHeld.countDown();
                await(release); // the first transaction is slow: the others queue behind it
            }
            transactions.add(List.copyOf(entries));
            entries.forEach(e -> written.add(e.customerId()));
        });
        // a thread for each caller: with fewer, the callers left in the pool's queue came one at a time after the
        // slow transaction, each in a transaction of its own (CI saw 20 transactions once)
        ExecutorService callers = Executors.newFixedThreadPool(41);
        CountDownLatch othersCalling = new CountDownLatch(40);
        try {
            Future<?> first = callers.submit(() -> commits.write(read(0)));
            assertThat(firstHeld.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Boolean>> others = new ArrayList<>();
            for (long c = 1; c <= 40; c++) {
                long customer = c;
                others.add(callers.submit(() -> {
                    othersCalling.countDown();
                    commits.write(read(customer));
                    return written.contains(customer);
                }));
            }
            assertThat(othersCalling.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(300);
            assertThat(first.isDone()).as("the caller waits for its transaction").isFalse();
            assertThat(others).noneMatch(Future::isDone);
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            for (Future<Boolean> other : others) {
                assertThat(other.get(10, TimeUnit.SECONDS)).as("its row was written when it returned").isTrue();
            }
        } finally {
            callers.shutdownNow();
            commits.close();
        }
        assertThat(written).hasSize(41).doesNotHaveDuplicates();
        assertThat(transactions.size()).as("the forty that waited went in far fewer transactions").isLessThan(20);
    }

    @Test
    void aFailedTransactionFailsEachOfItsCallersAndTheNextOneIsWrittenAgain() {
        AtomicBoolean failing = new AtomicBoolean(true);
        List<Long> written = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit commits = new GroupCommit("test-reads", entries -> {
            if (failing.get()) {
                throw new IllegalStateException("database down");
            }
            entries.forEach(e -> written.add(e.customerId()));
        })) {
            assertThatThrownBy(() -> commits.write(read(1))).isInstanceOf(IllegalStateException.class).hasMessage("database down");
            failing.set(false);
            commits.write(read(2));
        }
        assertThat(written).containsExactly(2L);
    }

    @Test
    void afterCloseACallerWritesItsOwnRow() {
        List<Long> written = Collections.synchronizedList(new ArrayList<>());
        GroupCommit commits = new GroupCommit("test-reads", entries -> entries.forEach(e -> written.add(e.customerId())));
        commits.write(read(1));
        commits.close();
        commits.write(read(2));
        assertThat(written).containsExactly(1L, 2L);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
