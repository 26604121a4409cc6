package ru.svoykrug.hub.connect;

public class ConnectionNotActiveException extends RuntimeException {
    public ConnectionNotActiveException(PartnerConnection c) {
        super("Connection '" + c.id() + "' is " + c.status()
                + (c.statusMessage() == null ? "" : ": " + c.statusMessage()));
    }
}
