package ru.svoykrug.hub.connect;

import org.springframework.context.event.EventListener;
import ru.svoykrug.hub.sync.PageWriter;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kills a sync in the middle, as a dying route or JVM would: right after a page and its cursor are
 * committed, the route throws and the run ends there.
 */
public class SyncFaults {

    private volatile String connectionId;
    private volatile String stream;
    private volatile int afterPages;
    private final AtomicInteger pages = new AtomicInteger();

    public void crashAfterPages(String connectionId, String stream, int pages) {
        this.pages.set(0);
        this.stream = stream;
        this.afterPages = pages;
        this.connectionId = connectionId;
    }

    public void clear() {
        this.connectionId = null;
    }

    @EventListener
    void onPage(PageWriter.PageCommitted page) {
        if (page.connectionId().equals(connectionId) && page.stream().equals(stream) && pages.incrementAndGet() == afterPages) {
            connectionId = null;
            throw new SimulatedCrash("route died after page " + afterPages + " of " + stream);
        }
    }

    public static class SimulatedCrash extends RuntimeException {
        public SimulatedCrash(String message) {
            super(message);
        }
    }
}
