package ru.svoykrug.hub.simulate.kit;

import java.util.concurrent.atomic.AtomicInteger;

/** Misbehaviour on demand for the next {@code n} calls: each call takes one, until none is left. */
public final class Countdown {

    private final AtomicInteger left = new AtomicInteger();

    public void set(int n) {
        left.set(n);
    }

    /** True (and one fewer left) while some are left. */
    public boolean take() {
        return left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }
}
