package ru.svoykrug.hub.simulate.kit;

import java.time.Duration;

/** Calls in the trailing second: a vendor's burst limit. */
public final class SlidingSecond extends SlidingWindow {

    public SlidingSecond() {
        super(Duration.ofSeconds(1));
    }
}
