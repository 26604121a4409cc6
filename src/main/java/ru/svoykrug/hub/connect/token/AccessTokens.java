package ru.svoykrug.hub.connect.token;

/** Where a connection's bearer tokens come from: a vendor's OAuth refresh, a login call, or a fixed token. */
public interface AccessTokens {

    /** A token that is good for a while yet: renewed ahead of its expiry, never returned stale. */
    String current();

    /**
     * The vendor answered 401 to {@code rejected}: a new token, unless another caller renewed it already.
     * Throws {@link ru.svoykrug.hub.connect.CredentialsRejectedException} when no new one can be had.
     */
    String renewAfterRejection(String rejected);
}
