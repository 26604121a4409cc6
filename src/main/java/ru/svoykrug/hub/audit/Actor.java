package ru.svoykrug.hub.audit;

import org.springframework.security.oauth2.jwt.Jwt;
import ru.svoykrug.hub.security.Role;
import ru.svoykrug.hub.security.TokenClaims;

import java.util.List;

/** Who acts on a person's data: a token's subject and role, or a job of the hub. */
public record Actor(String subject, String role) {

    /** The hub's own jobs (retention, the night) and what part of it acts. */
    public static Actor job(String name) {
        return new Actor(name, "JOB");
    }

    /** The token's subject and its strongest role (OPS before PARTNER before CUSTOMER). */
    public static Actor of(Jwt jwt) {
        List<String> roles = jwt.getClaimAsStringList(TokenClaims.ROLES);
        String role = "UNKNOWN";
        for (Role r : List.of(Role.OPS, Role.PARTNER, Role.CUSTOMER)) {
            if (roles != null && roles.contains(r.name())) {
                role = r.name();
                break;
            }
        }
        String subject = jwt.getSubject();
        return new Actor(subject == null || subject.isBlank() ? "unknown" : subject, role);
    }
}
