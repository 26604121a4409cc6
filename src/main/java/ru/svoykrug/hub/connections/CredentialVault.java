package ru.svoykrug.hub.connections;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.infra.HubProperties;
import ru.svoykrug.hub.infra.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Encrypts partner credentials at rest with Tink AEAD (AES-256-GCM). The ciphertext is bound to the
 * connection id, so a credentials blob copied onto another connection does not decrypt.
 *
 * <p>The keyset comes from {@code HUB_MASTER_KEY} (Tink JSON keyset, plain or base64). On the embedded
 * default a keyset is generated once into {@code data/master-key.json}; with an external database the
 * key must be given, since a key generated on one node would not open the others' credentials.
 */
@Component
public class CredentialVault {

    private static final Logger log = LoggerFactory.getLogger(CredentialVault.class);

    private final Aead aead;

    public CredentialVault(HubProperties hub) {
        try {
            AeadConfig.register();
            this.aead = loadKeyset(hub).getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot load the master key: " + e.getMessage(), e);
        }
    }

    public byte[] encrypt(String connectionId, String credentialsJson) {
        try {
            return aead.encrypt(credentialsJson.getBytes(StandardCharsets.UTF_8), associatedData(connectionId));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt credentials of " + connectionId, e);
        }
    }

    public String decrypt(String connectionId, byte[] ciphertext) {
        try {
            return new String(aead.decrypt(ciphertext, associatedData(connectionId)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Credentials of " + connectionId + " do not decrypt with this master key", e);
        }
    }

    /**
     * Another keyset (the personal data's) kept encrypted under the master key, bound to its purpose: the
     * database holds it, the master key opens it, so every node with the master key shares it.
     */
    public byte[] sealKeyset(KeysetHandle keyset, String purpose) {
        try {
            return TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, aead, keysetAssociatedData(purpose));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal the " + purpose + " keyset", e);
        }
    }

    public KeysetHandle openKeyset(byte[] sealed, String purpose) {
        try {
            return TinkProtoKeysetFormat.parseEncryptedKeyset(sealed, aead, keysetAssociatedData(purpose));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The " + purpose + " keyset does not open with this master key", e);
        }
    }

    private static byte[] keysetAssociatedData(String purpose) {
        return ("keyset:" + purpose).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] associatedData(String connectionId) {
        return ("partner-connection:" + connectionId).getBytes(StandardCharsets.UTF_8);
    }

    private static KeysetHandle loadKeyset(HubProperties hub) throws GeneralSecurityException, IOException {
        if (hub.masterKey() != null && !hub.masterKey().isBlank()) {
            String key = hub.masterKey().trim();
            String json = key.startsWith("{") ? key : new String(Base64.getDecoder().decode(key), StandardCharsets.UTF_8);
            return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        }
        if (hub.masterKeyFile() != null) {
            Path file = hub.masterKeyFile().toAbsolutePath().normalize();
            if (!hub.embeddedDatabase() && file.startsWith(hub.dataDir().toAbsolutePath().normalize())) {
                throw new IllegalStateException("HUB_MASTER_KEY_FILE " + file + " is inside the data folder: with an external "
                        + "database keep the key apart from the data it opens (another disk, a secret mount)");
            }
            if (OwnerOnlyFiles.openToOthers(file)) {
                throw new IllegalStateException("The master key file " + file + " is readable by others than its owner: chmod 600 it");
            }
            return TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file), InsecureSecretKeyAccess.get());
        }
        if (!hub.embeddedDatabase()) {
            throw new IllegalStateException("HUB_MASTER_KEY is not set: with an external database every hub node needs "
                    + "the same key, from HUB_MASTER_KEY or HUB_MASTER_KEY_FILE (a file outside the data folder) "
                    + "(a Tink JSON keyset; `java -jar hub.jar new-master-key` prints one)");
        }
        Path file = hub.dataDir().resolve("master-key.json");
        // created owner-only in the same call that creates it: never readable by others, not for a moment
        if (OwnerOnlyFiles.createIfAbsent(file, newKeysetJson())) {
            log.info("Generated a new master key in {}", file);
        }
        return TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file), InsecureSecretKeyAccess.get());
    }

    public static String newKeysetJson() throws GeneralSecurityException {
        AeadConfig.register();
        return newKeysetJson(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
    }

    private static String newKeysetJson(KeysetHandle handle) throws GeneralSecurityException {
        return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
    }
}
