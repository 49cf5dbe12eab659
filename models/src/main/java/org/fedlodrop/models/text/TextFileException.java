package org.fedlodrop.models.text;

import java.nio.file.Path;

/** A data file that cannot be used, with where and what was expected; line 0 means the whole file. */
public final class TextFileException extends Exception {
    private final transient Path file;
    private final int line;
    private final String detail;

    public TextFileException(Path file, int line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
        this.detail = message;
    }

    /** What is wrong, without the file and line. */
    public String detail() {
        return detail;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }
}
