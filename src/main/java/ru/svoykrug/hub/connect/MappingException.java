package ru.svoykrug.hub.connect;

/** A record that cannot be mapped to a canonical row; it goes to the dead letter table with this reason. */
public class MappingException extends RuntimeException {
    public MappingException(String reason) {
        super(reason, null, false, false);
    }
}
