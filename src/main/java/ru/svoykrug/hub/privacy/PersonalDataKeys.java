package ru.svoykrug.hub.privacy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.CredentialVault;

import javax.sql.DataSource;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The personal data's two keysets: an AEAD (AES-256-GCM) that seals names and phones, and a PRF
 * (HMAC-SHA256) that makes the phones' blind index. Both live in {@code ops.personal_data_keyset}
 * encrypted under the hub's master key ({@link CredentialVault}), so every node that has the master key
 * shares them, and a dump of the database alone opens nothing. Made on first use; rotated by
 * {@link PersonalDataRotation} (a new primary key: the AEAD's old keys still open what they sealed).
 *
 * <p>Read through a plain {@link DataSource}, lazily: the Flyway migration that seals data staged
 * before encryption needs the keys before anything else of the database is ready.
 */
@Component
public class PersonalDataKeys {

    static final String AEAD = "personal-data-aead";
    static final String PRF = "personal-data-prf";

    private final CredentialVault vault;
    private final DataSource dataSource;
    private volatile Keys keys;

    record Keys(Aead aead, PrfSet prf) {
    }

    public PersonalDataKeys(CredentialVault vault, DataSource dataSource) {
        this.vault = vault;
        this.dataSource = dataSource;
        try {
            AeadConfig.register();
            PrfConfig.register();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    Keys keys() {
        Keys k = keys;
        if (k == null) {
            synchronized (this) {
                if (keys == null) {
                    try (Connection con = dataSource.getConnection()) {
                        keys = load(con);
                    } catch (SQLException e) {
                        throw new IllegalStateException("Cannot read the personal data keys", e);
                    }
                }
                k = keys;
            }
        }
        return k;
    }

    /** Loads the keysets through this connection (making them on first use), and keeps them. */
    Keys load(Connection con) throws SQLException {
        try {
            Keys loaded = new Keys(
                    keyset(con, AEAD, PredefinedAeadParameters.AES256_GCM).getPrimitive(RegistryConfiguration.get(), Aead.class),
                    keyset(con, PRF, PredefinedPrfParameters.HMAC_SHA256_PRF).getPrimitive(RegistryConfiguration.get(), PrfSet.class));
            keys = loaded;
            return loaded;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The personal data keys do not work", e);
        }
    }

    /** Adds a new primary key to both keysets (the old ones stay: what they sealed still opens). Call in a transaction. */
    void rotate(Connection con) throws SQLException {
        try {
            for (var purpose : java.util.Map.of(AEAD, PredefinedAeadParameters.AES256_GCM,
                    PRF, PredefinedPrfParameters.HMAC_SHA256_PRF).entrySet()) {
                KeysetHandle old = keyset(con, purpose.getKey(), purpose.getValue());
                KeysetHandle rotated = KeysetHandle.newBuilder(old)
                        .addEntry(KeysetHandle.generateEntryFromParameters(purpose.getValue()).withRandomId().makePrimary())
                        .build();
                try (var ps = con.prepareStatement(
                        "UPDATE ops.personal_data_keyset SET keyset = ?, rotated_at = now() WHERE purpose = ?")) {
                    ps.setBytes(1, vault.sealKeyset(rotated, purpose.getKey()));
                    ps.setString(2, purpose.getKey());
                    ps.executeUpdate();
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot rotate the personal data keys", e);
        }
        keys = null;
    }

    /** Drops the keys kept in memory: the next use reads them from the database. */
    void forget() {
        keys = null;
    }

    private KeysetHandle keyset(Connection con, String purpose, Parameters parameters)
            throws SQLException, GeneralSecurityException {
        byte[] made = vault.sealKeyset(KeysetHandle.generateNew(parameters), purpose);
        // two nodes starting at once: the first keyset written is everyone's
        try (var ps = con.prepareStatement("INSERT INTO ops.personal_data_keyset (purpose, keyset) VALUES (?, ?) "
                + "ON CONFLICT (purpose) DO NOTHING")) {
            ps.setString(1, purpose);
            ps.setBytes(2, made);
            ps.executeUpdate();
        }
        try (var ps = con.prepareStatement("SELECT keyset FROM ops.personal_data_keyset WHERE purpose = ?")) {
            ps.setString(1, purpose);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return vault.openKeyset(rs.getBytes(1), purpose);
            }
        }
    }
}
