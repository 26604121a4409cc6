package ru.svoykrug.hub.nightly;

import org.springframework.context.event.EventListener;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Kills the next night in the named step, at its very end, inside its transaction; or holds it there. */
public class NightlyFaults {

    private volatile String step;
    private volatile String holdStep;
    private volatile CountDownLatch release;

    public void crashIn(String step) {
        this.step = step;
    }

    /** The next night waits at the end of the step until the returned latch is counted down (at most a minute). */
    public CountDownLatch holdIn(String step) {
        CountDownLatch latch = new CountDownLatch(1);
        this.release = latch;
        this.holdStep = step;
        return latch;
    }

    @EventListener
    void onStepDone(NightlyStepDone done) throws InterruptedException {
        if (done.step().equals(holdStep)) {
            holdStep = null;
            release.await(1, TimeUnit.MINUTES);
        }
        if (done.step().equals(step)) {
            step = null;
            throw new IllegalStateException("simulated crash in step " + done.step());
        }
    }
}
