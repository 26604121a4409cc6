package ru.svoykrug.hub.customers;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Phones as partners type them ({@code +7 (916) 123-45-67}, {@code 8 916 1234567}, {@code 79161234567}) to E.164. */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final String DEFAULT_REGION = "RU";
    private static final String NONE = "";
    // Parsing is the costliest part of mapping a record, and one customer's phone comes back in every
    // appointment and payment of theirs. Bounded: emptied when full rather than growing with the data.
    private static final int CACHE_LIMIT = 100_000;
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private PhoneNumbers() {
    }

    /** The E.164 form, or empty when the text is no usable phone number. */
    public static Optional<String> toE164(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String known = CACHE.get(raw);
        if (known == null) {
            known = parse(raw).orElse(NONE);
            if (CACHE.size() >= CACHE_LIMIT) {
                CACHE.clear();
            }
            CACHE.put(raw, known);
        }
        return known.isEmpty() ? Optional.empty() : Optional.of(known);
    }

    private static Optional<String> parse(String raw) {
        try {
            PhoneNumber number = UTIL.parse(raw.trim(), DEFAULT_REGION);
            if (!UTIL.isValidNumber(number)) {
                return Optional.empty();
            }
            return Optional.of(UTIL.format(number, PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }
}
