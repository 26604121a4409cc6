package ru.svoykrug.hub.privacy;

import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * The blind index of a phone: a keyed hash (Tink PRF, HMAC-SHA256 under the primary key of
 * {@link PersonalDataKeys}, 128 bits, base64url) of its E.164 form. The same phone gives the same key
 * whichever partner wrote it, so the night matches customers by it exactly as it matched the phones;
 * without the key nobody can tell which phone a key is (a phone has ~10^10 values: a plain hash would be
 * reversed by trying them all). A key never starts with '+', so it is never mistaken for a phone.
 */
@Component
public class PhoneIndex {

    private static final int BYTES = 16;

    private final PersonalDataKeys keys;

    public PhoneIndex(PersonalDataKeys keys) {
        this.keys = keys;
    }

    /** The phone's key, or null for no phone. */
    public String of(String e164) {
        if (e164 == null) {
            return null;
        }
        return compute("phone:" + e164);
    }

    /**
     * A row's fingerprint of its personal data: tells staging that a re-read record changed its name or
     * phone without opening the sealed ones (they differ on every sealing). Bound to the row, so equal
     * names on two rows have unequal fingerprints.
     */
    public String fingerprint(String connectionId, String sourceId, String name, String phone) {
        if (name == null && phone == null) {
            return null;
        }
        return compute("row:" + connectionId.length() + ":" + connectionId + ":" + sourceId.length() + ":" + sourceId
                + ":" + (name == null ? "-" : "n" + name.length() + ":" + name) + ":" + (phone == null ? "-" : phone));
    }

    private String compute(String input) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(keys.keys().prf().computePrimary(input.getBytes(StandardCharsets.UTF_8), BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot compute a blind index", e);
        }
    }
}
