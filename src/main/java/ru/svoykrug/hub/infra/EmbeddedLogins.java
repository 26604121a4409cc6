package ru.svoykrug.hub.infra;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The passwords of the embedded PostgreSQL: the superuser's, used only to set the server up at start, and
 * the hub's own role's. Made once, at random, in an owner-only file beside the server's folder (not inside
 * it: initdb wants an empty folder), so a restart finds them and nobody else on the machine reads them.
 */
public record EmbeddedLogins(String superuserPassword, String hubPassword) {

    /** The role the hub works as: it owns the hub's schemas and is not a superuser. */
    public static final String HUB_ROLE = "svoy_krug_hub";
    public static final String SUPERUSER = "postgres";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The file of the server whose data lives in {@code serverDirectory}. */
    public static Path fileOf(Path serverDirectory) {
        return serverDirectory.resolveSibling(serverDirectory.getFileName() + "-logins.properties");
    }

    public static EmbeddedLogins loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Properties fresh = new Properties();
                fresh.setProperty("superuser.password", newPassword());
                fresh.setProperty("hub.password", newPassword());
                StringWriter text = new StringWriter();
                fresh.store(text, "Embedded PostgreSQL logins of this data folder: keep with it, never share");
                OwnerOnlyFiles.createIfAbsent(file, text.toString());
            }
            Properties stored = new Properties();
            stored.load(new StringReader(Files.readString(file)));
            String superuser = stored.getProperty("superuser.password");
            String hub = stored.getProperty("hub.password");
            if (superuser == null || hub == null) {
                throw new IllegalStateException("The embedded database's logins file " + file + " lacks a password");
            }
            return new EmbeddedLogins(superuser, hub);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the embedded database's logins " + file, e);
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "EmbeddedLogins[passwords hidden]";
    }
}
