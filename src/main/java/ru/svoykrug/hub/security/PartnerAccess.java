package ru.svoykrug.hub.security;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

import java.util.function.Supplier;

/**
 * {@code /api/v1/partners/{partnerId}/...}: a {@code PARTNER} token whose {@code partner} claim is that
 * very partner, or {@code OPS}, who may act for any partner. Another partner's token is refused before
 * anything is read.
 */
final class PartnerAccess implements AuthorizationManager<RequestAuthorizationContext> {

    static final String PARTNER_ID = "partnerId";

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
        Authentication auth = authentication.get();
        if (auth == null || !auth.isAuthenticated()) {
            return new AuthorizationDecision(false);
        }
        if (has(auth, Role.OPS)) {
            return new AuthorizationDecision(true);
        }
        String partnerId = context.getVariables().get(PARTNER_ID);
        return new AuthorizationDecision(has(auth, Role.PARTNER) && auth instanceof JwtAuthenticationToken jwt
                && partnerId != null && partnerId.equals(jwt.getToken().getClaimAsString(TokenClaims.PARTNER)));
    }

    private static boolean has(Authentication auth, Role role) {
        for (GrantedAuthority a : auth.getAuthorities()) {
            if (role.authority().equals(a.getAuthority())) return true;
        }
        return false;
    }
}
