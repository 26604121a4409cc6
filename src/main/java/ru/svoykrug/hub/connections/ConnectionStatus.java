package ru.svoykrug.hub.connections;

public enum ConnectionStatus {
    ACTIVE,
    /** Paused by ops or by the vendor (a quota or licence refusal); its schedule skips it. */
    PAUSED,
    /** The vendor refused the credentials; nothing syncs until the partner gives new ones. */
    CREDENTIALS_REJECTED
}
