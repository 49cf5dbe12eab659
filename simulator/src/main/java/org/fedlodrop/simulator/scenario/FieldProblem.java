package org.fedlodrop.simulator.scenario;

/**
 * One thing wrong with a scenario: where, and what was expected.
 *
 * @param source   the file, or {@code --set} for a command-line override
 * @param line     1-based line in the source, or 0 where unknown (a default, a missing field)
 * @param column   1-based column, or 0 where unknown
 * @param path     the field path, e.g. {@code devices.count}; empty for the whole file
 * @param message  what is wrong and what was expected
 */
public record FieldProblem(String source, int line, int column, String path, String message) {
    /** {@code file:line:column: path: message}, the way compilers report, so editors can jump to it. */
    public String format() {
        StringBuilder text = new StringBuilder(source);
        if (line > 0) {
            text.append(':').append(line);
            if (column > 0) {
                text.append(':').append(column);
            }
        }
        text.append(": ");
        if (!path.isEmpty()) {
            text.append(path).append(": ");
        }
        return text.append(message).toString();
    }
}
