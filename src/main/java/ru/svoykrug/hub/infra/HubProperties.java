package ru.svoykrug.hub.infra;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

import java.nio.file.Path;

/**
 * Where the hub keeps its state. {@code HUB_DB_URL}, {@code HUB_DB_USER}, {@code HUB_DB_PASSWORD} and
 * {@code HUB_MASTER_KEY} (or {@code HUB_MASTER_KEY_FILE}, a file outside the data folder) bind here through
 * relaxed binding; without a database URL the hub runs on its embedded PostgreSQL under {@code dataDir}.
 */
@ConfigurationProperties(prefix = "hub")
public record HubProperties(Path dataDir, Db db, String masterKey, Path masterKeyFile) {

    @ConstructorBinding
    public HubProperties {
        dataDir = dataDir == null ? Path.of("data") : dataDir;
        db = db == null ? new Db(null, null, null) : db;
    }

    public HubProperties(Path dataDir, Db db, String masterKey) {
        this(dataDir, db, masterKey, null);
    }

    public boolean embeddedDatabase() {
        return db.url() == null || db.url().isBlank();
    }

    public record Db(String url, String user, String password) {
    }
}
