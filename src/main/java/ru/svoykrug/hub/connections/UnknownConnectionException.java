package ru.svoykrug.hub.connections;

public class UnknownConnectionException extends RuntimeException {
    public UnknownConnectionException(String id) {
        super("No partner connection '" + id + "'");
    }
}
