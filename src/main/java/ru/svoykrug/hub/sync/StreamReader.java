package ru.svoykrug.hub.sync;

/**
 * One stream of one run, as its connector reads it: the request for the next page, then the answer to
 * that request as a page of mapped rows with the cursor that follows them. The paged-stream route calls
 * {@link #next()} and {@link #read(PartnerAnswer)} in turn until a page says there is no more.
 */
public interface StreamReader {

    /** The request for the next page, from the stream's committed cursor and what this run read so far. */
    PartnerRequest next();

    /** The answer to the last request: the rows it maps to and the cursor to commit with them. */
    Page read(PartnerAnswer answer) throws Exception;

    /** Called once the page is committed with its cursor (1C remembers the versions it staged). */
    default void committed(Page page) {
    }

    /**
     * Whether a failed call is an answer this reader reads itself rather than a failure to retry or end
     * on (1C: a {@code $filter} its server cannot run is the cue to scan instead). Its status and body
     * then reach {@link #read(PartnerAnswer)}.
     */
    default boolean readsFailure(int status, String body) {
        return false;
    }
}
