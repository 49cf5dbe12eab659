package org.fedlodrop.simulator.scenario;

import java.util.List;
import java.util.stream.Collectors;

/** A scenario that cannot run, with every problem found. The command line turns it into exit code 2. */
public final class ScenarioException extends Exception {
    private final List<FieldProblem> problems;

    public ScenarioException(List<FieldProblem> problems) {
        super(problems.stream().map(FieldProblem::format).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
