package ru.svoykrug.hub.privacy;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Seals what was staged before personal data was encrypted (V19 renamed the columns; their old rows
 * still hold E.164 phones and plain names), re-keys the customers and the 'phone:' links by the phones'
 * blind index, and drops the plain names' column. A Java migration because it needs the keys; a Spring
 * bean, which Spring Boot hands to Flyway. On a new database it finds nothing to seal.
 */
@Component
public class V20__SealStagedPersonalData extends BaseJavaMigration {

    private final PersonalDataKeys keys;

    public V20__SealStagedPersonalData(PersonalDataKeys keys) {
        this.keys = keys;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection con = context.getConnection();
        keys.load(con);
        PersonalData data = new PersonalData(keys);
        PhoneIndex index = new PhoneIndex(keys);
        // every plain phone once: its key and its sealed form (the same sealed bytes serve every row of it)
        try (var st = con.createStatement()) {
            st.execute("""
                    CREATE TEMP TABLE legacy_phone ON COMMIT DROP AS
                    SELECT phone_key AS e164 FROM staging.customer WHERE phone_key LIKE '+%'
                    UNION SELECT phone_key FROM staging.sale WHERE phone_key LIKE '+%'
                    UNION SELECT phone_key FROM staging.payment WHERE phone_key LIKE '+%'
                    UNION SELECT phone_key FROM core.customer WHERE phone_key LIKE '+%'
                    UNION SELECT substr(customer_key, 7) FROM core.customer_link WHERE customer_key LIKE 'phone:+%'""");
            st.execute("ALTER TABLE legacy_phone ADD COLUMN phone_key text, ADD COLUMN sealed bytea");
        }
        List<String> phones = new ArrayList<>();
        try (var st = con.createStatement(); var rs = st.executeQuery("SELECT e164 FROM legacy_phone")) {
            while (rs.next()) {
                phones.add(rs.getString(1));
            }
        }
        try (var ps = con.prepareStatement("UPDATE legacy_phone SET phone_key = ?, sealed = ? WHERE e164 = ?")) {
            for (String phone : phones) {
                ps.setString(1, index.of(phone));
                ps.setBytes(2, data.seal(PersonalData.Kind.PHONE, phone));
                ps.setString(3, phone);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (var st = con.createStatement()) {
            for (String table : List.of("staging.customer", "staging.sale", "staging.payment")) {
                st.execute("UPDATE " + table + " t SET phone_key = l.phone_key, phone_sealed = l.sealed "
                        + "FROM legacy_phone l WHERE t.phone_key = l.e164");
            }
            st.execute("UPDATE core.customer t SET phone_key = l.phone_key FROM legacy_phone l WHERE t.phone_key = l.e164");
            st.execute("UPDATE core.customer_link t SET customer_key = 'phone:' || l.phone_key "
                    + "FROM legacy_phone l WHERE t.customer_key = 'phone:' || l.e164");
        }
        sealNames(con, data, index);
        try (var st = con.createStatement()) {
            st.execute("ALTER TABLE staging.customer DROP COLUMN legacy_name");
        }
    }

    private static void sealNames(Connection con, PersonalData data, PhoneIndex index) throws SQLException {
        record Row(String connectionId, String sourceId, String name, byte[] phone) {
        }
        List<Row> rows = new ArrayList<>();
        try (var st = con.createStatement(); var rs = st.executeQuery(
                "SELECT connection_id, source_id, legacy_name, phone_sealed FROM staging.customer "
                        + "WHERE legacy_name IS NOT NULL OR phone_sealed IS NOT NULL")) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4)));
            }
        }
        try (var ps = con.prepareStatement("UPDATE staging.customer SET name_sealed = ?, pd_fingerprint = ? "
                + "WHERE connection_id = ? AND source_id = ?")) {
            for (Row r : rows) {
                String name = r.name() == null || r.name().isBlank() ? null : r.name();
                ps.setBytes(1, data.seal(PersonalData.Kind.NAME, name));
                ps.setString(2, index.fingerprint(r.connectionId(), r.sourceId(), name,
                        data.open(PersonalData.Kind.PHONE, r.phone())));
                ps.setString(3, r.connectionId());
                ps.setString(4, r.sourceId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
