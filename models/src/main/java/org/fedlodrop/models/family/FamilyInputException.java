package org.fedlodrop.models.family;

import java.util.List;

/** What a family found wrong with the files its settings name, every problem at once. */
public final class FamilyInputException extends Exception {
    /**
     * One problem.
     *
     * @param file    the file it is in, or empty for the scenario itself
     * @param line    its 1-based line in {@code file}, or 0
     * @param field   the model section's field it concerns ({@code checkpoint}), or empty
     * @param message what is wrong and what was expected
     */
    public record Problem(String file, int line, String field, String message) {
    }

    private final List<Problem> problems;

    public FamilyInputException(List<Problem> problems) {
        super(problems.isEmpty() ? "" : problems.get(0).message());
        this.problems = List.copyOf(problems);
    }

    public static FamilyInputException of(String file, String field, String message) {
        return new FamilyInputException(List.of(new Problem(file, 0, field, message)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
