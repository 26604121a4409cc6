package ru.svoykrug.hub.connect.onec;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Connection;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the 1C connector remembers between runs: the {@code DataVersion} of every object it has taken
 * in (1C's only change marker) and the discount cards that link receipts to customers. It is written
 * after a page is committed: a crash in between only makes the next run take the page in again, which
 * the staging upsert makes harmless.
 */
@Repository
class OnecLedger {

    private final JdbcTemplate jdbc;

    OnecLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Map<String, String> versions(String connectionId, String entity, Collection<String> refs) {
        Map<String, String> versions = new HashMap<>();
        if (refs.isEmpty()) {
            return versions;
        }
        jdbc.query(con -> {
            var ps = con.prepareStatement("SELECT ref_key, data_version FROM ops.onec_data_version "
                    + "WHERE connection_id = ? AND entity = ? AND ref_key = ANY (?)");
            planEachTime(ps);
            ps.setString(1, connectionId);
            ps.setString(2, entity);
            ps.setArray(3, con.createArrayOf("text", refs.toArray()));
            return ps;
        }, rs -> {
            versions.put(rs.getString(1), rs.getString(2));
        });
        return versions;
    }

    void remember(String connectionId, String entity, Map<String, String> versions) {
        if (versions.isEmpty()) {
            return;
        }
        jdbc.execute((Connection con) -> {
            try (var ps = con.prepareStatement("""
                    INSERT INTO ops.onec_data_version AS t (connection_id, entity, ref_key, data_version)
                    SELECT ?, ?, s.ref_key, s.data_version FROM unnest(?::text[], ?::text[]) AS s(ref_key, data_version)
                    ON CONFLICT (connection_id, entity, ref_key) DO UPDATE
                       SET data_version = EXCLUDED.data_version, seen_at = now()
                    """)) {
                ps.setString(1, connectionId);
                ps.setString(2, entity);
                ps.setArray(3, con.createArrayOf("text", versions.keySet().toArray()));
                ps.setArray(4, con.createArrayOf("text", versions.values().toArray()));
                return ps.executeUpdate();
            }
        });
    }

    void saveCards(String connectionId, List<Card> cards) {
        if (cards.isEmpty()) {
            return;
        }
        jdbc.execute((Connection con) -> {
            try (var ps = con.prepareStatement("""
                    INSERT INTO staging.onec_card AS t (connection_id, ref_key, code, owner_key, deleted)
                    SELECT ?, s.* FROM unnest(?::text[], ?::text[], ?::text[], ?::boolean[]) AS s(ref_key, code, owner_key, deleted)
                    ON CONFLICT (connection_id, ref_key) DO UPDATE
                       SET code = EXCLUDED.code, owner_key = EXCLUDED.owner_key, deleted = EXCLUDED.deleted, updated_at = now()
                    """)) {
                ps.setString(1, connectionId);
                ps.setArray(2, con.createArrayOf("text", cards.stream().map(Card::ref).toArray()));
                ps.setArray(3, con.createArrayOf("text", cards.stream().map(Card::code).toArray()));
                ps.setArray(4, con.createArrayOf("text", cards.stream().map(Card::owner).toArray()));
                ps.setArray(5, con.createArrayOf("bool", cards.stream().map(Card::deleted).toArray()));
                return ps.executeUpdate();
            }
        });
    }

    /** Card reference to its owner, for the cards the hub knows. */
    Map<String, String> cardOwners(String connectionId, Collection<String> cardRefs) {
        Map<String, String> owners = new HashMap<>();
        if (cardRefs.isEmpty()) {
            return owners;
        }
        jdbc.query(con -> {
            var ps = con.prepareStatement("SELECT ref_key, owner_key FROM staging.onec_card "
                    + "WHERE connection_id = ? AND ref_key = ANY (?) AND owner_key IS NOT NULL");
            planEachTime(ps);
            ps.setString(1, connectionId);
            ps.setArray(2, con.createArrayOf("text", cardRefs.toArray()));
            return ps;
        }, rs -> {
            owners.put(rs.getString(1), rs.getString(2));
        });
        return owners;
    }

    /**
     * A server-side prepared statement gets a generic plan after a few runs, and for "= ANY (array)"
     * on a table that grew since the first page that plan can be a sequential scan per page (quadratic
     * over a full sync). Planned each time, the lookup stays an index scan.
     */
    private static void planEachTime(java.sql.PreparedStatement ps) throws java.sql.SQLException {
        ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
    }

    record Card(String ref, String code, String owner, boolean deleted) {
    }
}
