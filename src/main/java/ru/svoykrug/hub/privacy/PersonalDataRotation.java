package ru.svoykrug.hub.privacy;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rotates the personal data keys and re-encrypts with the new ones, in one transaction: a new primary
 * AEAD key seals every name and phone again, and a new primary PRF key re-indexes every phone (the staged
 * phone keys, the customers' and the {@code phone:} links'), so matching goes on exactly as before. The
 * old keys stay in the keysets (what they sealed, in a backup, still opens) until dropped by hand.
 *
 * <p>Run with every hub node stopped ({@code java -jar hub.jar rotate-personal-data-keys}): a node that
 * runs on keeps the old index key and would stage phones no customer matches. Every staged row changes,
 * so the next night reads all of staging again, as a first night does.
 */
@Component
public class PersonalDataRotation {

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final PersonalDataKeys keys;

    public PersonalDataRotation(JdbcTemplate jdbc, DataSource dataSource, PersonalDataKeys keys) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.keys = keys;
    }

    /** Rotates and re-encrypts; returns the rows rewritten per table. */
    @Transactional
    public Map<String, Integer> rotate() throws SQLException {
        if (!Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(hashtext('hub-night'))", Boolean.class))) {
            throw new IllegalStateException("A night is running: rotate the keys with every hub node stopped");
        }
        jdbc.execute("LOCK TABLE staging.customer, staging.sale, staging.payment, core.customer, core.customer_link "
                + "IN SHARE ROW EXCLUSIVE MODE");
        PersonalData data = new PersonalData(keys);
        PhoneIndex index = new PhoneIndex(keys);
        // every phone once, opened with the keys it was sealed with
        Map<String, String> phoneOf = new LinkedHashMap<>();
        jdbc.query("""
                SELECT DISTINCT ON (phone_key) phone_key, phone_sealed
                  FROM (SELECT phone_key, phone_sealed FROM staging.customer WHERE phone_key IS NOT NULL
                        UNION ALL SELECT phone_key, phone_sealed FROM staging.sale WHERE phone_key IS NOT NULL
                        UNION ALL SELECT phone_key, phone_sealed FROM staging.payment WHERE phone_key IS NOT NULL) p
                 ORDER BY phone_key""", rs -> {
            phoneOf.put(rs.getString(1), data.open(PersonalData.Kind.PHONE, rs.getBytes(2)));
        });
        List<Card> cards = new ArrayList<>();
        jdbc.query("SELECT connection_id, source_id, name_sealed, phone_sealed FROM staging.customer "
                + "WHERE name_sealed IS NOT NULL OR phone_sealed IS NOT NULL", rs -> {
            cards.add(new Card(rs.getString(1), rs.getString(2), data.open(PersonalData.Kind.NAME, rs.getBytes(3)),
                    data.open(PersonalData.Kind.PHONE, rs.getBytes(4))));
        });

        Connection con = DataSourceUtils.getConnection(dataSource);
        try {
            keys.rotate(con);
            keys.load(con);
            return reencrypt(data, index, phoneOf, cards);
        } catch (RuntimeException | SQLException e) {
            keys.forget(); // the transaction rolls back: the old keys are the keys
            throw e;
        }
    }

    private record Card(String connectionId, String sourceId, String name, String phone) {
    }

    private Map<String, Integer> reencrypt(PersonalData data, PhoneIndex index, Map<String, String> phoneOf, List<Card> cards) {

        jdbc.execute("CREATE TEMP TABLE rekey (old_key text PRIMARY KEY, new_key text NOT NULL, sealed bytea NOT NULL) ON COMMIT DROP");
        List<Object[]> rekeyed = new ArrayList<>();
        phoneOf.forEach((oldKey, phone) -> rekeyed.add(new Object[] {oldKey, index.of(phone), data.seal(PersonalData.Kind.PHONE, phone)}));
        jdbc.batchUpdate("INSERT INTO rekey VALUES (?, ?, ?)", rekeyed);
        Map<String, Integer> rows = new LinkedHashMap<>();
        for (String table : List.of("staging.customer", "staging.sale", "staging.payment")) {
            rows.put(table, jdbc.update("UPDATE " + table + " t SET phone_key = r.new_key, phone_sealed = r.sealed "
                    + "FROM rekey r WHERE t.phone_key = r.old_key"));
        }
        rows.put("core.customer", jdbc.update("UPDATE core.customer t SET phone_key = r.new_key FROM rekey r WHERE t.phone_key = r.old_key"));
        rows.put("core.customer_link", jdbc.update("UPDATE core.customer_link t SET customer_key = 'phone:' || r.new_key "
                + "FROM rekey r WHERE t.customer_key = 'phone:' || r.old_key"));
        List<Object[]> resealed = new ArrayList<>();
        for (Card c : cards) {
            resealed.add(new Object[] {data.seal(PersonalData.Kind.NAME, c.name()),
                    index.fingerprint(c.connectionId(), c.sourceId(), c.name(), c.phone()), c.connectionId(), c.sourceId()});
        }
        jdbc.batchUpdate("UPDATE staging.customer SET name_sealed = ?, pd_fingerprint = ? WHERE connection_id = ? AND source_id = ?",
                resealed);
        rows.put("staging.customer names", resealed.size());
        return rows;
    }
}
