package ru.svoykrug.hub.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ru.svoykrug.hub.connections.CredentialVault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys owner-only from their first byte, one hub per data folder, the master key apart from an external database's hub. */
class RunningSafelyTest {

    @TempDir
    Path dir;

    @Test
    void aSecretFileIsOwnerOnlyAndMadeOnce() throws Exception {
        Path file = dir.resolve("secret");
        assertThat(OwnerOnlyFiles.createIfAbsent(file, "first")).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(OwnerOnlyFiles.createIfAbsent(file, "second")).as("a key is never replaced").isFalse();
        assertThat(Files.readString(file)).isEqualTo("first");
        OwnerOnlyFiles.write(file, "third");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var left = Files.list(dir)) {
            assertThat(left).as("no temporary file left beside it").containsExactly(file);
        }
    }

    @Test
    void theEmbeddedDefaultsMasterKeyIsOwnerOnly() throws Exception {
        new CredentialVault(new HubProperties(dir, null, null));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("master-key.json")))).isEqualTo("rw-------");
    }

    @Test
    void withAnExternalDatabaseTheMasterKeyFileMustLieOutsideTheDataFolder() throws Exception {
        HubProperties.Db external = new HubProperties.Db("jdbc:postgresql://db/hub", "hub", "pw");
        Path inside = dir.resolve("data").resolve("key.json");
        Path outside = dir.resolve("secrets").resolve("key.json");
        OwnerOnlyFiles.write(inside, CredentialVault.newKeysetJson());
        OwnerOnlyFiles.write(outside, CredentialVault.newKeysetJson());
        assertThatThrownBy(() -> new CredentialVault(new HubProperties(dir.resolve("data"), external, null, inside)))
                .hasMessageContaining("inside the data folder");
        assertThat(new CredentialVault(new HubProperties(dir.resolve("data"), external, null, outside))
                .decrypt("c", new CredentialVault(new HubProperties(dir.resolve("data"), external, null, outside)).encrypt("c", "s")))
                .isEqualTo("s");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> new CredentialVault(new HubProperties(dir.resolve("data"), external, null, outside)))
                .hasMessageContaining("readable by others");
    }

    @Test
    void aSecondHubOnTheSameDataFolderIsRefusedWithAClearMessage() {
        try (DataFolderLock first = DataFolderLock.acquire(dir)) {
            assertThatThrownBy(() -> DataFolderLock.acquire(dir))
                    .hasMessageContaining("Another hub is running on the data folder").hasMessageContaining("HUB_DATA_DIR");
        }
        DataFolderLock.acquire(dir).close(); // let go when the first hub stops
    }
}
