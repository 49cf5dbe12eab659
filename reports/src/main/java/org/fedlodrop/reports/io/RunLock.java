package org.fedlodrop.reports.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock a running run holds on {@code run.lock} in its directory. The operating system releases it when the
 * process dies, however it dies (SIGKILL included), so a manifest that says {@code running} beside a free lock is
 * a run that was interrupted ({@link RunState}).
 */
public final class RunLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of the run in {@code directory}; fails if another process holds it. */
    public static RunLock take(Path directory) throws IOException {
        Path file = directory.resolve(RunFiles.LOCK);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException(file + " is held by another process: the run is being run there");
        }
        return new RunLock(file, channel, lock);
    }

    /** Releases the lock and removes the file: the run has ended, its manifest says how. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
            Files.deleteIfExists(file);
        }
    }
}
