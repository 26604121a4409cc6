package ru.svoykrug.hub.connect;

public class UnknownConnectionException extends RuntimeException {
    public UnknownConnectionException(String id) {
        super("No partner connection '" + id + "'");
    }
}
