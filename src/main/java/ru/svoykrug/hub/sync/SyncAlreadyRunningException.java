package ru.svoykrug.hub.sync;

public class SyncAlreadyRunningException extends RuntimeException {
    public SyncAlreadyRunningException(String id) {
        super("A sync of connection '" + id + "' is already running");
    }
}
