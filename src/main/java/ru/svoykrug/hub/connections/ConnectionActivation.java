package ru.svoykrug.hub.connections;

/**
 * What makes a connection sync (its routes and its schedule), seen from connection admin: implemented by
 * the sync package, so that admin does not depend on sync, which depends on admin.
 */
public interface ConnectionActivation {

    /** Whether the hub has a connector for the system. */
    boolean supports(String system);

    /** Puts (or puts back) the connection's routes and schedule in place. */
    void activate(PartnerConnection connection);

    /** Takes the connection's schedule away (a deleted connection); its routes may stay, idle. */
    void deactivate(String connectionId);
}
