package ru.svoykrug.hub.sync;

public enum SyncRunStatus {
    RUNNING,
    /** Every stream read to its end, every record staged. */
    SUCCEEDED,
    /** Every stream read to its end, but some records went to the dead letter table. */
    PARTIAL,
    /** A stream stopped on an error; what was committed before it stays, and the next run resumes there. */
    FAILED,
    /** The vendor refused the credentials; the connection is stopped and its data untouched. */
    CREDENTIALS_REJECTED
}
