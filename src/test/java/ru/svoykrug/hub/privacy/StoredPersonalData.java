package ru.svoykrug.hub.privacy;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * Personal data as the hub stores it, for tests that write staging straight (a phone's blind index and
 * its sealed form) or read it back (a sealed phone opened). The one test context's keys, kept statically
 * when the context makes this component: fixtures are built with a JdbcTemplate alone.
 */
@TestComponent
public class StoredPersonalData {

    private static volatile PersonalData data;
    private static volatile PhoneIndex index;

    public StoredPersonalData(PersonalData data, PhoneIndex index) {
        StoredPersonalData.data = data;
        StoredPersonalData.index = index;
    }

    public static String phoneKey(String e164) {
        return index.of(e164);
    }

    public static byte[] sealedPhone(String e164) {
        return data.seal(PersonalData.Kind.PHONE, e164);
    }

    public static String openPhone(byte[] sealed) {
        return data.open(PersonalData.Kind.PHONE, sealed);
    }

    public static String openName(byte[] sealed) {
        return data.open(PersonalData.Kind.NAME, sealed);
    }

    /** A staged client card, opened. */
    public record Card(String sourceId, String name, String phone) {
    }

    /** A connection's staged client cards, opened. */
    public static List<Card> cards(JdbcTemplate jdbc, String connectionId) {
        return jdbc.query("SELECT source_id, name_sealed, phone_sealed FROM staging.customer WHERE connection_id = ?",
                (rs, n) -> new Card(rs.getString(1), openName(rs.getBytes(2)), openPhone(rs.getBytes(3))), connectionId);
    }

    /** The name of one staged client card, opened. */
    public static String name(JdbcTemplate jdbc, String connectionId, String sourceId) {
        return cards(jdbc, connectionId).stream().filter(c -> c.sourceId().equals(sourceId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no card " + sourceId + " at " + connectionId)).name();
    }

    /** The card of a connection with this name (opened). */
    public static Card named(JdbcTemplate jdbc, String connectionId, String name) {
        return cards(jdbc, connectionId).stream().filter(c -> name.equals(c.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no card named so at " + connectionId));
    }

    /** The phones a query of one sealed column finds, opened (a row without one gives null). */
    public static List<String> phones(JdbcTemplate jdbc, String sql, Object... args) {
        List<String> phones = new ArrayList<>();
        jdbc.query(sql, rs -> {
            phones.add(openPhone(rs.getBytes(1)));
        }, args);
        return phones;
    }

    /** The phone of the one row a query of one sealed column finds, opened. */
    public static String phone(JdbcTemplate jdbc, String sql, Object... args) {
        List<String> phones = phones(jdbc, sql, args);
        if (phones.size() != 1) {
            throw new IllegalStateException(sql + " found " + phones.size() + " rows");
        }
        return phones.get(0);
    }
}
