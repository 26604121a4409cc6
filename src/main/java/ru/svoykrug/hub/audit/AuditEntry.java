package ru.svoykrug.hub.audit;

import java.util.List;
import java.util.Objects;

/**
 * One operation on one person's data: a core customer ({@code customerId}), or a partner's record (its
 * connection, the person's key there, and the record). Fields are names ("points", "phone"), never values.
 */
public record AuditEntry(Actor actor, Action action, List<String> fields, String channel, Long customerId,
                         String connectionId, String customerKey, String recordRef) {

    public enum Action { READ, CHANGE, ERASE, CONSENT }

    public AuditEntry {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(channel, "channel");
        fields = List.copyOf(fields);
        if (customerId == null && connectionId == null) {
            throw new IllegalArgumentException("an audit entry names a customer or a partner's record");
        }
    }

    /** An operation on a core customer's data. */
    public static AuditEntry of(Actor actor, Action action, long customerId, String channel, String... fields) {
        return new AuditEntry(actor, action, List.of(fields), channel, customerId, null, null, null);
    }
}
