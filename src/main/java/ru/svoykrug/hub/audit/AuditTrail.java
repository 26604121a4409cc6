package ru.svoykrug.hub.audit;

import jakarta.annotation.PreDestroy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Records operations on personal data, in the caller's transaction when it has one (an entry of a change
 * that rolls back goes with it). One call per operation; {@link #recordAll} for many at once (one batch).
 * A read outside a transaction is committed with the reads that arrive with it ({@link GroupCommit}): its
 * caller still answers only once the row is committed.
 */
@Component
public class AuditTrail {

    private static final String INSERT = """
            INSERT INTO audit.entry (actor_subject, actor_role, action, fields, channel, customer_id, connection_id,
                                     customer_key, record_ref)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final JdbcTemplate jdbc;
    private final GroupCommit reads;

    AuditTrail(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        TransactionTemplate inOne = new TransactionTemplate(transactions);
        this.reads = new GroupCommit("audit-reads", entries -> inOne.executeWithoutResult(status -> recordAll(entries)));
    }

    @PreDestroy
    void close() {
        reads.close();
    }

    public void record(AuditEntry entry) {
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement(INSERT);
            bind(ps, entry);
            return ps;
        });
    }

    public void recordAll(List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT, entries, 500, AuditTrail::bind);
    }

    /** A read of a customer's data through the API: {@code channel} is the endpoint ("GET /api/v1/customers/me"). */
    public void read(Actor actor, long customerId, String channel, String... fields) {
        AuditEntry entry = AuditEntry.of(actor, AuditEntry.Action.READ, customerId, channel, fields);
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            record(entry); // in the caller's transaction, which holds a connection while it would wait
        } else {
            reads.write(entry);
        }
    }

    /** A change of a customer's data by the hub (a redemption, a consent is {@link #consent}). */
    public void changed(Actor actor, long customerId, String channel, String... fields) {
        record(AuditEntry.of(actor, AuditEntry.Action.CHANGE, customerId, channel, fields));
    }

    /** A consent given or withdrawn. */
    public void consent(Actor actor, long customerId, String channel, boolean given) {
        record(AuditEntry.of(actor, AuditEntry.Action.CONSENT, customerId, channel, given ? "consent.given" : "consent.withdrawn"));
    }

    /**
     * An erasure: the fields removed of the customer (e.g. "name", "phone") and where ("staging.customer",
     * "core.customer" may be given as fields too). For the erasure endpoints; in the erasure's transaction.
     */
    public void erased(Actor actor, long customerId, String channel, List<String> fields) {
        record(new AuditEntry(actor, AuditEntry.Action.ERASE, fields, channel, customerId, null, null, null));
    }

    private static void bind(PreparedStatement ps, AuditEntry e) throws SQLException {
        ps.setString(1, e.actor().subject());
        ps.setString(2, e.actor().role());
        ps.setString(3, e.action().name());
        ps.setArray(4, ps.getConnection().createArrayOf("text", e.fields().toArray()));
        ps.setString(5, e.channel());
        if (e.customerId() == null) {
            ps.setNull(6, Types.BIGINT);
        } else {
            ps.setLong(6, e.customerId());
        }
        ps.setString(7, e.connectionId());
        ps.setString(8, e.customerKey());
        ps.setString(9, e.recordRef());
    }
}
