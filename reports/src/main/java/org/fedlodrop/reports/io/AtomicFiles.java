package org.fedlodrop.reports.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader never sees a half-written one under its final name: the bytes go
 * to {@code NAME.part} beside it, which is then renamed in one step.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    public static void write(Path target, byte[] content) throws IOException {
        Path part = partOf(target);
        Files.write(part, content);
        commit(part, target);
    }

    public static void commit(Path part, Path target) throws IOException {
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
