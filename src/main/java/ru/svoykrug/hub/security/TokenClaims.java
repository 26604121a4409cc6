package ru.svoykrug.hub.security;

/** The names of the claims of the token contract ({@link ru.svoykrug.hub.security}). */
public final class TokenClaims {

    public static final String ROLES = "roles";
    public static final String PARTNER = "partner";
    /** the issuer of the tokens the hub signs with its own key */
    public static final String HUB_ISSUER = "svoy-krug-hub";

    private TokenClaims() {
    }
}
