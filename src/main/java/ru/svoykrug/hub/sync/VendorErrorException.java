package ru.svoykrug.hub.sync;

/** The vendor answered with an error that retrying will not cure (an error inside a 200, or a 4xx). */
public class VendorErrorException extends RuntimeException {
    public VendorErrorException(String message) {
        super(message);
    }
}
