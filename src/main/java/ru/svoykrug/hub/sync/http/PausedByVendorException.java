package ru.svoykrug.hub.sync.http;

/**
 * The vendor refused for now, not for good: a quota or a licence is exhausted (1C's 406 when no
 * licence is free). The run ends PARTIAL with what it committed; the next scheduled run goes on from
 * the cursor. Not a credentials problem.
 */
public class PausedByVendorException extends RuntimeException {
    public PausedByVendorException(String message) {
        super(message);
    }
}
