package ru.svoykrug.hub.simulate.bitrix24;

/**
 * Bitrix24's request limit: every request adds one to a counter that drains by {@code drainPerSecond};
 * while the counter is above {@code capacity}, requests are refused (503 {@code QUERY_LIMIT_EXCEEDED}).
 * A client at no more than the drain rate is never refused; a burst of up to the capacity is fine.
 */
final class LeakyBucket {

    private int capacity;
    private double drainPerSecond;
    private double level;
    private long lastNanos = System.nanoTime();

    LeakyBucket(int capacity, double drainPerSecond) {
        set(capacity, drainPerSecond);
    }

    /** A capacity of 0 lifts the limit. */
    synchronized void set(int capacity, double drainPerSecond) {
        this.capacity = capacity;
        this.drainPerSecond = drainPerSecond;
        this.level = 0;
    }

    /** True when the request may pass (and is counted); a refused request is not counted. */
    synchronized boolean admit() {
        long now = System.nanoTime();
        level = Math.max(0, level - drainPerSecond * (now - lastNanos) / 1e9);
        lastNanos = now;
        if (capacity > 0 && level >= capacity) {
            return false;
        }
        level += 1;
        return true;
    }
}
