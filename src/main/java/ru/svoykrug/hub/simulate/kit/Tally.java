package ru.svoykrug.hub.simulate.kit;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What a simulator saw, one counter per kind of event, so a test can prove what the hub did. */
public final class Tally<K extends Enum<K>> {

    private final Map<K, AtomicLong> counts;

    public Tally(Class<K> kinds) {
        counts = new EnumMap<>(kinds);
        for (K k : kinds.getEnumConstants()) {
            counts.put(k, new AtomicLong());
        }
    }

    public void count(K kind) {
        counts.get(kind).incrementAndGet();
    }

    public void add(K kind, long n) {
        counts.get(kind).addAndGet(n);
    }

    public long get(K kind) {
        return counts.get(kind).get();
    }

    public void reset() {
        counts.values().forEach(c -> c.set(0));
    }
}
