package ru.svoykrug.hub.connections;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ru.svoykrug.hub.infra.HubProperties;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialVaultTest {

    @TempDir
    Path dataDir;

    @Test
    void credentialsAreUnreadableAtRestAndBoundToTheirConnection() {
        CredentialVault vault = new CredentialVault(new HubProperties(dataDir, null, null));
        byte[] blob = vault.encrypt("mindal", "{\"userToken\":\"secret-token\"}");

        assertThat(new String(blob, StandardCharsets.ISO_8859_1)).doesNotContain("secret-token");
        assertThat(vault.decrypt("mindal", blob)).isEqualTo("{\"userToken\":\"secret-token\"}");
        assertThatThrownBy(() -> vault.decrypt("another-partner", blob)).hasMessageContaining("do not decrypt");
        // the generated key is kept, so a restarted hub reads what it wrote
        assertThat(new CredentialVault(new HubProperties(dataDir, null, null)).decrypt("mindal", blob)).contains("secret-token");
    }

    @Test
    void aMasterKeyFromTheEnvironmentWinsAndMayBeBase64() throws Exception {
        String keyset = CredentialVault.newKeysetJson();
        CredentialVault plain = new CredentialVault(new HubProperties(dataDir, null, keyset));
        CredentialVault encoded = new CredentialVault(new HubProperties(dataDir, null,
                Base64.getEncoder().encodeToString(keyset.getBytes(StandardCharsets.UTF_8))));

        assertThat(encoded.decrypt("c", plain.encrypt("c", "x"))).isEqualTo("x");
        assertThat(dataDir.resolve("master-key.json")).doesNotExist();
    }

    @Test
    void anExternalDatabaseWithoutAMasterKeyRefusesToStart() {
        HubProperties external = new HubProperties(dataDir, new HubProperties.Db("jdbc:postgresql://db/hub", "hub", "pw"), null);
        assertThatThrownBy(() -> new CredentialVault(external)).hasMessageContaining("HUB_MASTER_KEY is not set");
    }
}
