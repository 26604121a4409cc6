package ru.svoykrug.hub.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Whether a caller may see medical partners' per-partner figures: a token whose {@code roles} hold
 * {@code MEDICAL} (beside {@code OPS}). A medical partner's own view and the patient's own data are
 * decided where they are served, by whose data it is.
 */
public final class MedicalGrant {

    private MedicalGrant() {
    }

    public static boolean held(Authentication auth) {
        if (auth == null) {
            return false;
        }
        for (GrantedAuthority a : auth.getAuthorities()) {
            if (Role.MEDICAL.authority().equals(a.getAuthority())) {
                return true;
            }
        }
        return false;
    }
}
