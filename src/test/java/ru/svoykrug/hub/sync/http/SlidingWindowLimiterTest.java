package ru.svoykrug.hub.sync.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vendor's limits as sliding windows: a burst goes at once, no window ever holds one call too many, and a
 * call ages only from its answer on.
 */
class SlidingWindowLimiterTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void aBurstOfTheLimitGoesAtOnceAndTheNextWaitsForTheOldestToBeASecondOld() throws Exception {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(new RateLimits(5, 0));
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            limiter.release(limiter.acquire());
        }
        long burst = System.nanoTime() - start;
        limiter.release(limiter.acquire());
        long sixth = System.nanoTime() - start;

        assertThat(burst).as("five calls, no waiting").isLessThan(SECOND / 5);
        assertThat(sixth).as("the sixth a second (and the margin) after the first")
                .isGreaterThanOrEqualTo(SECOND + SlidingWindowLimiter.MARGIN.toNanos())
                .isLessThan(SECOND + SECOND / 2);
    }

    @Test
    void streamsSideBySideNeverPutMoreThanTheLimitIntoAnySecond() throws Exception {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(new RateLimits(5, 0));
        List<Long> sends = Collections.synchronizedList(new ArrayList<>());
        List<Thread> streams = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread stream = new Thread(() -> {
                try {
                    for (int i = 0; i < 5; i++) {
                        Object ticket = limiter.acquire();
                        sends.add(System.nanoTime());
                        limiter.release(ticket);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            streams.add(stream);
            stream.start();
        }
        for (Thread stream : streams) {
            stream.join(10_000);
        }

        List<Long> sorted = new ArrayList<>(sends);
        Collections.sort(sorted);
        assertThat(sorted).hasSize(15);
        for (int i = 5; i < sorted.size(); i++) {
            assertThat(sorted.get(i) - sorted.get(i - 5)).as("call %d and the fifth before it", i + 1).isGreaterThanOrEqualTo(SECOND);
        }
        assertThat(sorted.get(14) - sorted.get(0)).as("fifteen calls: three bursts, two seconds apart in all")
                .isLessThan(2 * SECOND + SECOND / 2);
    }

    @Test
    void aCallStillOnItsWayHoldsItsPlaceUntilItsAnswerComesAndAgesFromThere() throws Exception {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(new RateLimits(1, 0));
        Object slow = limiter.acquire();
        AtomicReference<Long> secondSent = new AtomicReference<>();
        Thread second = new Thread(() -> {
            try {
                limiter.release(limiter.acquire());
                secondSent.set(System.nanoTime());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        second.start();
        Thread.sleep(1500); // the first call's answer takes longer than the window
        assertThat(secondSent.get()).as("nothing goes while the first call may still arrive").isNull();
        long answered = System.nanoTime();
        limiter.release(slow);
        second.join(5_000);

        assertThat(secondSent.get()).isNotNull();
        assertThat(secondSent.get() - answered).as("a second after the answer, not after the send").isGreaterThanOrEqualTo(SECOND);
    }

    @Test
    void theMinuteWindowHoldsCallsBackEvenWhenTheSecondHasRoomAndAStoppedRunStopsWaiting() throws Exception {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(new RateLimits(5, 7));
        for (int i = 0; i < 7; i++) {
            limiter.release(limiter.acquire()); // five now, two a second later
        }
        AtomicReference<Throwable> ended = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread eighth = new Thread(() -> {
            try {
                limiter.acquire();
            } catch (Throwable e) {
                ended.set(e);
            }
            done.countDown();
        });
        eighth.start();

        assertThat(done.await(1500, TimeUnit.MILLISECONDS)).as("the eighth call waits for the minute").isFalse();
        eighth.interrupt();
        assertThat(done.await(1, TimeUnit.SECONDS)).isTrue();
        assertThat(ended.get()).isInstanceOf(InterruptedException.class);
    }
}
