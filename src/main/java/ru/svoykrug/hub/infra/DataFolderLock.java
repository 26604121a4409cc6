package ru.svoykrug.hub.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One hub per data folder: an exclusive lock on {@code hub.lock}, held for the hub's life and let go by
 * the operating system when its process ends, {@code kill -9} included. A second hub started on the same
 * folder refuses to start before it touches the database there (it would otherwise take the running
 * hub's PostgreSQL for an orphan and stop it).
 */
public final class DataFolderLock implements AutoCloseable {

    static final String FILE_NAME = "hub.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static DataFolderLock acquire(Path dataDir) {
        Path file = dataDir.toAbsolutePath().normalize().resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(file);
            }
            return new DataFolderLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            close(channel);
            throw inUse(file);
        } catch (IllegalStateException e) {
            close(channel);
            throw e;
        } catch (IOException e) {
            close(channel);
            throw new UncheckedIOException("Cannot lock the data folder " + file.getParent(), e);
        }
    }

    private static IllegalStateException inUse(Path file) {
        return new IllegalStateException("Another hub is running on the data folder " + file.getParent()
                + " (it holds " + file.getFileName() + "): stop it first, or give this one its own folder (HUB_DATA_DIR)");
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel's close below lets go of it all the same
        }
        close(channel);
    }

    private static void close(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing held any more
        }
    }
}
