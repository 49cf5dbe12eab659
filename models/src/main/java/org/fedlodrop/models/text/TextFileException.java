package org.fedlodrop.models.text;

import java.nio.file.Path;

/** A data file that cannot be used, with where and what was expected; line 0 means the whole file. */
public final class TextFileException extends Exception {
    private final transient Path file;
    private final int line;

    public TextFileException(Path file, int line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }
}
