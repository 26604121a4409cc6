package ru.svoykrug.hub.connect.amocrm;

import org.springframework.context.event.EventListener;
import ru.svoykrug.hub.connect.SyncFaults;

/**
 * Kills the hub at the worst moment of an OAuth refresh: amoCRM has issued the new pair, the hub has not
 * stored it yet.
 */
public class TokenFaults {

    private volatile String connectionId;

    public void crashBeforeStoringNextPair(String connectionId) {
        this.connectionId = connectionId;
    }

    public void clear() {
        this.connectionId = null;
    }

    @EventListener
    void onPair(AmocrmTokenPairReceived received) {
        if (received.connectionId().equals(connectionId)) {
            connectionId = null;
            throw new SyncFaults.SimulatedCrash("hub died after amoCRM rotated the token pair, before storing it");
        }
    }
}
