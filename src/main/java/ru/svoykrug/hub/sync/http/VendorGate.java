package ru.svoykrug.hub.sync.http;

import java.time.Duration;

/**
 * One connection's answer to a vendor that said "slow down": after a 429 every stream of the connection
 * holds its next call until the vendor's {@code retry_after} has passed, so no stream keeps calling
 * while another waits (amoCRM blocks the IP of a client that does); after a 403 block nothing is called.
 */
final class VendorGate {

    private long closedUntilNanos = System.nanoTime();
    private String blocked;

    synchronized void pauseFor(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        if (until - closedUntilNanos > 0) {
            closedUntilNanos = until;
        }
    }

    synchronized void block(String why) {
        blocked = why;
    }

    /** Waits until calls may go out again; the reason the vendor blocked the hub, or null. */
    String awaitOpen() throws InterruptedException {
        while (true) {
            long waitNanos;
            synchronized (this) {
                if (blocked != null) {
                    return blocked;
                }
                waitNanos = closedUntilNanos - System.nanoTime();
            }
            if (waitNanos <= 0) {
                return null;
            }
            Thread.sleep(Math.max(1, waitNanos / 1_000_000));
        }
    }
}
