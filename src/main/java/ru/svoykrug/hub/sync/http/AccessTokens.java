package ru.svoykrug.hub.sync.http;

/** Where a connection's bearer tokens come from: a vendor's OAuth refresh, a login call, or a fixed token. */
public interface AccessTokens {

    /** A token that is good for a while yet: renewed ahead of its expiry, never returned stale. */
    String current();

    /**
     * The vendor answered 401 to {@code rejected}: a new token, unless another caller renewed it already.
     * Throws a {@code CredentialsRejectedException} when no new one can be had.
     */
    String renewAfterRejection(String rejected);
}
