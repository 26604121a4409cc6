package ru.svoykrug.hub.simulate.kit;

import java.util.ArrayDeque;

/**
 * Counts calls in the trailing second, as a vendor's burst limit does, and remembers the most that
 * ever arrived within one second, so a test can prove the hub never went over the limit.
 */
public final class SlidingSecond {

    private final ArrayDeque<Long> arrivals = new ArrayDeque<>();
    private int most;

    /** Records a call now; returns how many arrived in the second up to and including it. */
    public synchronized int arrive() {
        long now = System.nanoTime();
        arrivals.addLast(now);
        while (!arrivals.isEmpty() && now - arrivals.peekFirst() >= 1_000_000_000L) {
            arrivals.pollFirst();
        }
        most = Math.max(most, arrivals.size());
        return arrivals.size();
    }

    public synchronized int most() {
        return most;
    }

    public synchronized void reset() {
        arrivals.clear();
        most = 0;
    }
}
