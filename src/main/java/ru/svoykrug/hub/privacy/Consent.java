package ru.svoykrug.hub.privacy;

import java.time.Instant;

/**
 * A customer's consent: given or not, since when and by whom (role CUSTOMER, PARTNER or OPS, and the
 * subject); {@code recorded} false when nobody has said anything and the default applies ({@code since}
 * and {@code by} null then).
 */
public record Consent(boolean given, Instant since, String byRole, String bySubject, boolean recorded) {
}
