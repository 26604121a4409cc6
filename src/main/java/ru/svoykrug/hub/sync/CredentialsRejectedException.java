package ru.svoykrug.hub.sync;

/** The vendor refused the connection's credentials: stop the connection until the partner gives new ones. */
public class CredentialsRejectedException extends RuntimeException {
    public CredentialsRejectedException(String message) {
        super(message);
    }
}
