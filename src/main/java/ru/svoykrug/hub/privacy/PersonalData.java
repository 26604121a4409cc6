package ru.svoykrug.hub.privacy;

import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Seals and opens a person's name or phone (Tink AEAD, AES-256-GCM, the key of {@link PersonalDataKeys}).
 * A sealed value is bound to its kind: a sealed name copied into a phone column does not open. A
 * sealed value is random each time: equality is the {@link PhoneIndex}'s job, never the ciphertext's.
 */
@Component
public class PersonalData {

    public enum Kind {
        NAME, PHONE;

        private byte[] associatedData() {
            return ("personal-data:" + name().toLowerCase()).getBytes(StandardCharsets.UTF_8);
        }
    }

    private final PersonalDataKeys keys;

    public PersonalData(PersonalDataKeys keys) {
        this.keys = keys;
    }

    /** The value sealed, or null for null (and for a blank name: nothing to keep). */
    public byte[] seal(Kind kind, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return keys.keys().aead().encrypt(value.getBytes(StandardCharsets.UTF_8), kind.associatedData());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal a " + kind, e);
        }
    }

    public String open(Kind kind, byte[] sealed) {
        if (sealed == null) {
            return null;
        }
        try {
            return new String(keys.keys().aead().decrypt(sealed, kind.associatedData()), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A sealed " + kind + " does not open with the personal data keys", e);
        }
    }
}
