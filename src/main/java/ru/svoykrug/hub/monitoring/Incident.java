package ru.svoykrug.hub.monitoring;

/**
 * Something ops must be told about, identified by its key: while the same key is found at every check it
 * is the same incident (one notification when it opens, one when it is gone).
 */
record Incident(String key, Kind kind, String connectionId, Long nightId, String status, String errorClass) {

    enum Kind {
        STALE("no good sync for over twice its schedule's period"),
        CREDENTIALS_REJECTED("the partner system rejected the credentials"),
        FORMAT_CHANGED("the vendor's format has probably changed"),
        DEAD_LETTERS("records could not be mapped (dead letters)"),
        NIGHT_FAILED("the night failed");

        final String words;

        Kind(String words) {
            this.words = words;
        }
    }

    static Incident ofConnection(Kind kind, ConnectionStates.ConnectionState c) {
        String status = c.lastRunStatus() == null ? c.status().name() : c.lastRunStatus().name();
        String errorClass = c.lastErrorClass();
        if (kind == Kind.CREDENTIALS_REJECTED) {
            // the connection is stopped before its run is recorded as ended: a check in between sees the run RUNNING
            status = c.status().name();
            errorClass = errorClass == null ? "CredentialsRejected" : errorClass;
        }
        return new Incident(kind.name().toLowerCase().replace('_', '-') + ":" + c.id(), kind, c.id(), null, status, errorClass);
    }

    static Incident ofNight(NightStates.Night night) {
        return new Incident("night-failed", Kind.NIGHT_FAILED, null, night.id(), night.status(), null);
    }
}
