package ru.svoykrug.hub.webhooks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.sync.SyncAlreadyRunningException;
import ru.svoykrug.hub.sync.SyncRunner;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The debounce alone, with a runner that takes as long as the test says: bursts, notifications during a run, a run held elsewhere. */
class WebhookDebounceTest {

    private final SyncRunner runner = mock(SyncRunner.class);
    private final WebhookDebounce debounce = new WebhookDebounce(runner, 100);

    @AfterEach
    void stop() {
        debounce.stop();
    }

    @Test
    void aBurstIsOneRunAndNotificationsDuringARunAreExactlyOneMoreAfterIt() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        when(runner.run(eq("c1"), anyString())).thenAnswer(call -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            if (runs.incrementAndGet() == 1) {
                firstStarted.countDown();
                release.await(10, TimeUnit.SECONDS);
            }
            running.decrementAndGet();
            return null;
        });
        for (int i = 0; i < 100; i++) {
            debounce.notified("c1");
        }
        assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 50; i++) {
            debounce.notified("c1");
        }
        Thread.sleep(300);
        assertThat(runs.get()).as("none while the first runs").isEqualTo(1);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> !debounce.busy("c1"));
        Thread.sleep(300);
        assertThat(runs.get()).isEqualTo(2);
        assertThat(mostAtOnce.get()).isEqualTo(1);
    }

    @Test
    void aRunHeldElsewhereIsWaitedOutAndTriedAgain() {
        AtomicInteger calls = new AtomicInteger();
        when(runner.run(eq("c2"), anyString())).thenAnswer(call -> {
            if (calls.incrementAndGet() < 3) {
                throw new SyncAlreadyRunningException("c2");
            }
            return null;
        });
        debounce.notified("c2");
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 3 && !debounce.busy("c2"));
    }
}
