package ru.svoykrug.hub.staging;

/**
 * A record that cannot be mapped to a canonical row; it goes to the dead letter table with this reason.
 * The reason starts with the name of the field that failed (that name is kept apart as the failing
 * field) and never quotes the field's value: a value may be a name, a phone or a diagnosis.
 */
public class MappingException extends RuntimeException {

    private final String field;

    public MappingException(String reason) {
        super(reason, null, false, false);
        int space = reason.indexOf(' ');
        this.field = space > 0 ? reason.substring(0, space) : reason;
    }

    /** The field (or fields, comma-separated) whose value failed. */
    public String field() {
        return field;
    }
}
