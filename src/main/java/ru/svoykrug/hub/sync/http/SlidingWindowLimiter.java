package ru.svoykrug.hub.sync.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets a call go when the vendor's windows have room: at most {@code perSecond} calls in any second and
 * {@code perMinute} in any minute, over sliding windows. A burst of {@code perSecond} goes out at once; the
 * next waits until the first of them is a second old. (A limiter that spaces every call by 1/N s wastes the
 * burst the vendor allows; one that hands out N permits per fixed second can put 2N calls into one sliding
 * second.)
 *
 * <p>The vendor counts a call when it arrives, which the hub cannot see; it can see that the call had
 * arrived by the time its answer came back. So a call holds its place in the windows from the moment it is
 * let go until its answer has come ({@link #release}), and only then starts ageing: a call sent late (a slow
 * network, a starved thread) can never arrive within a second of one sent a second after it was answered.
 */
final class SlidingWindowLimiter {

    /** For timers' granularity; the answer-time accounting is what covers the network. */
    static final Duration MARGIN = Duration.ofMillis(10);
    private static final long SECOND = Duration.ofSeconds(1).plus(MARGIN).toNanos();
    private static final long MINUTE = Duration.ofMinutes(1).plus(MARGIN).toNanos();
    private static final long OPEN = Long.MAX_VALUE;

    private final int perSecond;
    private final int perMinute;
    /** Calls still in a window: when each was answered, {@link #OPEN} while it is on its way. */
    private final List<long[]> calls = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock(true); // first come, first sent
    private final Condition changed = lock.newCondition();

    SlidingWindowLimiter(RateLimits limits) {
        if (!limits.limited()) {
            throw new IllegalArgumentException("no limit to keep");
        }
        this.perSecond = limits.perSecond();
        this.perMinute = limits.perMinute();
    }

    /** Blocks until a call may go; the ticket to {@link #release} when its answer (or its failure) has come. */
    Object acquire() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = System.nanoTime();
                forgetOlderThan(now - MINUTE);
                long wait = Math.max(waitFor(perSecond, SECOND, now), waitFor(perMinute, MINUTE, now));
                if (wait <= 0) {
                    long[] call = {OPEN};
                    calls.add(call);
                    return call;
                }
                changed.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The call's answer has come: from now it ages out of the windows. */
    void release(Object ticket) {
        lock.lock();
        try {
            ((long[]) ticket)[0] = System.nanoTime();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * How long until the window of {@code period} holds fewer than {@code limit} calls; 0 or less: now. A call
     * on its way counts as in the window; when only such calls fill it, the wait is a window's length, cut
     * short by any {@link #release}.
     */
    private long waitFor(int limit, long period, long now) {
        if (limit <= 0) {
            return 0;
        }
        List<Long> answered = new ArrayList<>();
        int inWindow = 0;
        for (long[] call : calls) {
            if (call[0] == OPEN) {
                inWindow++;
            } else if (now - call[0] < period) {
                inWindow++;
                answered.add(call[0]);
            }
        }
        if (inWindow < limit) {
            return 0;
        }
        int toAgeOut = inWindow - limit + 1;
        if (toAgeOut > answered.size()) {
            return period;
        }
        Collections.sort(answered);
        return answered.get(toAgeOut - 1) + period - now;
    }

    private void forgetOlderThan(long oldest) {
        for (Iterator<long[]> it = calls.iterator(); it.hasNext(); ) {
            long answeredAt = it.next()[0];
            if (answeredAt != OPEN && answeredAt - oldest < 0) {
                it.remove();
            }
        }
    }
}
