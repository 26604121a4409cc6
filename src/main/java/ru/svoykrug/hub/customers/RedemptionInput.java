package ru.svoykrug.hub.customers;

import java.util.regex.Pattern;

/** The checks a redemption's input passes before anything is read: a 400 naming the field, never echoing it. */
final class RedemptionInput {

    static final long MAX_POINTS = 100_000_000L;
    private static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,79}");
    // printable ASCII without spaces, as idempotency keys and receipt numbers are
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]{1,100}");

    private RedemptionInput() {
    }

    static long points(Long points) {
        if (points == null || points < 1 || points > MAX_POINTS) {
            throw new IllegalArgumentException("points must be a whole number from 1 to " + MAX_POINTS);
        }
        return points;
    }

    /** A redemption's id from a path; a 400 that does not repeat what was sent. */
    static long id(String id) {
        if (id == null || !id.matches("[0-9]{1,18}")) {
            throw new IllegalArgumentException("a redemption id is a positive whole number");
        }
        return Long.parseLong(id);
    }

    static String partnerId(String partnerId) {
        if (partnerId == null || !PARTNER_ID.matcher(partnerId).matches()) {
            throw new IllegalArgumentException("partnerId must be a partner id (lower case letters, digits and dashes)");
        }
        return partnerId;
    }

    static String token(String value, String field, boolean required) {
        if (value == null && !required) {
            return null;
        }
        if (value == null || !TOKEN.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1 to 100 printable characters without spaces");
        }
        return value;
    }
}
