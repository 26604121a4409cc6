package ru.svoykrug.hub.privacy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phones as a log line or a problem may show them: {@code +7 *** ***-45-67}, the last four digits only
 * (enough for ops to tell two apart, too few to call anyone). {@link #phones} masks every Russian phone in
 * a text, in any shape partners write one (E.164, {@code 8916...}, {@code +7 (916) ...}, digits only):
 * the log's last line of defence, which the log pattern applies to every message and stack trace.
 */
public final class Masking {

    // a prefix (+7, 8, 7; a URL writes the plus as %2B) or none, the code in brackets or not, groups apart
    // by a space or a hyphen: never a tab or a line (columns of digits in a dump are no phone), nor the whole
    // part of a decimal (a fitted model's 9182720014.674133 is no phone; a sentence's closing period still is),
    // nor digits run into letters (a digest's sha256:9449477617e39f... is no phone)
    private static final Pattern PHONE = Pattern.compile("(?:(?<![\\w+.])|(?<=%2B))"
            + "(?:(?:\\+7|%2B7|8|7)[ \\-]?\\(?9\\d\\d\\)?[ \\-]?\\d{3}[ \\-]?(\\d{2})[ \\-]?(\\d{2})"
            + "|\\(?9\\d\\d\\)?[ \\-]?\\d{3}[ \\-]?(\\d{2})[ \\-]?(\\d{2}))(?!\\w|\\.\\d)");

    private Masking() {
    }

    /** An E.164 phone masked; null for null. */
    public static String phone(String e164) {
        if (e164 == null) {
            return null;
        }
        String digits = e164.replaceAll("\\D", "");
        if (digits.length() < 4) {
            return "+7 *** ***-**-**";
        }
        return "+7 *** ***-" + digits.substring(digits.length() - 4, digits.length() - 2) + "-" + digits.substring(digits.length() - 2);
    }

    /** The text with every phone in it masked. */
    public static String phones(String text) {
        if (text == null || text.length() < 10) {
            return text;
        }
        Matcher m = PHONE.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder masked = new StringBuilder(text.length());
        do {
            boolean prefixed = m.group(1) != null;
            m.appendReplacement(masked, Matcher.quoteReplacement("+7 *** ***-" + m.group(prefixed ? 1 : 3) + "-"
                    + m.group(prefixed ? 2 : 4)));
        } while (m.find());
        m.appendTail(masked);
        return masked.toString();
    }
}
