package ru.svoykrug.hub.simulate.kit;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Counts calls in a trailing window, as a vendor's rate limit does ("5 a second", "200 a minute"), and
 * remembers the most that ever arrived within one window, so a test can prove the hub never went over.
 */
public class SlidingWindow {

    private final long periodNanos;
    private final ArrayDeque<Long> arrivals = new ArrayDeque<>();
    private int most;

    public SlidingWindow(Duration period) {
        this.periodNanos = period.toNanos();
    }

    /** Records a call now; returns how many arrived in the window up to and including it. */
    public synchronized int arrive() {
        long now = System.nanoTime();
        arrivals.addLast(now);
        while (!arrivals.isEmpty() && now - arrivals.peekFirst() >= periodNanos) {
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
