package ru.svoykrug.hub.sync;

import ru.svoykrug.hub.connections.PartnerConnection;

public class ConnectionNotActiveException extends RuntimeException {
    public ConnectionNotActiveException(PartnerConnection c) {
        super("Connection '" + c.id() + "' is " + c.status()
                + (c.statusMessage() == null ? "" : ": " + c.statusMessage()));
    }
}
