package ru.svoykrug.hub.customers;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Where the next page starts, as an opaque string: the sort key of the last item given, base64url. A
 * client passes it back as it got it; anything else is a 400, never a database error.
 */
final class PageCursor {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    private static final String SEPARATOR = "\n";

    private PageCursor() {
    }

    static String encode(String kind, Object... parts) {
        StringBuilder text = new StringBuilder(kind);
        for (Object part : parts) {
            text.append(SEPARATOR).append(part);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The parts after {@code kind}, exactly {@code count} of them; a 400 for anything this API did not give. */
    static List<String> decode(String cursor, String kind, int count) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            List<String> parts = List.of(text.split(SEPARATOR, -1));
            // (a control character or NUL would reach the database as a sort key: never one this API gave)
            if (parts.size() == count + 1 && parts.get(0).equals(kind) && text.chars().noneMatch(c -> c < 0x20 && c != '\n')) {
                return parts.subList(1, parts.size());
            }
        } catch (IllegalArgumentException e) {
            // not base64: refused below
        }
        throw new IllegalArgumentException("cursor is not one this API gave");
    }

    /** The page size asked for (none: the default); a 400 that does not repeat what was sent (it may be anything). */
    static int limit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit.matches("[0-9]{1,3}")) {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        }
        throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    /** A page of items, newest first, and the cursor of the next one (null on the last page). */
    record Page<T>(List<T> items, String nextCursor) {
    }
}
