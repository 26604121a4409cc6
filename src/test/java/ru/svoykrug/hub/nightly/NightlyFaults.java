package ru.svoykrug.hub.nightly;

import org.springframework.context.event.EventListener;

/** Kills the next night in the named step, at its very end, inside its transaction. */
public class NightlyFaults {

    private volatile String step;

    public void crashIn(String step) {
        this.step = step;
    }

    @EventListener
    void onStepDone(NightlyStepDone done) {
        if (done.step().equals(step)) {
            step = null;
            throw new IllegalStateException("simulated crash in step " + done.step());
        }
    }
}
