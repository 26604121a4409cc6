package ru.svoykrug.hub.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ru.svoykrug.hub.infra.HubProperties;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hub's own token key: made once, owner-only, on the embedded default only. */
class HubSigningKeyTest {

    @TempDir
    Path dataDir;

    @Test
    void theEmbeddedDefaultMakesItsKeyOnceOwnerOnly() throws Exception {
        SecuritySettings none = new SecuritySettings(null, null, null, null, null, null, null, null);
        HubProperties embedded = new HubProperties(dataDir, null, null);
        byte[] first = HubSigningKey.of(none, embedded).getEncoded();
        Path file = dataDir.resolve(HubSigningKey.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(HubSigningKey.of(none, embedded).getEncoded()).as("the same key after a restart").isEqualTo(first);

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> HubSigningKey.of(none, embedded)).hasMessageContaining("readable by others");
    }

    @Test
    void anExternalDatabaseNeedsAConfiguredKeyAndAShortSecretIsRefused() {
        HubProperties external = new HubProperties(dataDir, new HubProperties.Db("jdbc:postgresql://db/hub", "hub", "pw"), null);
        assertThatThrownBy(() -> HubSigningKey.of(new SecuritySettings(null, null, null, null, null, null, null, null), external))
                .hasMessageContaining("HUB_SECURITY_HMAC_SECRET");
        assertThatThrownBy(() -> HubSigningKey.of(new SecuritySettings(null, null, "c2hvcnQ=", null, null, null, null, null), external))
                .hasMessageContaining("at least 32");
        assertThat(dataDir.resolve(HubSigningKey.FILE_NAME)).doesNotExist();
    }
}
