package ru.svoykrug.hub.connections;

public enum ConnectionStatus {
    ACTIVE,
    /** Paused by ops or by the vendor (a quota or licence refusal); its schedule skips it. */
    PAUSED,
    /** The vendor refused the credentials; nothing syncs until the partner gives new ones. */
    CREDENTIALS_REJECTED,
    /**
     * Deleted through the partner API: never syncs again, its credentials are forgotten, its staged data,
     * runs and dead letters are kept for accounting. Configuration does not bring it back.
     */
    DELETED
}
