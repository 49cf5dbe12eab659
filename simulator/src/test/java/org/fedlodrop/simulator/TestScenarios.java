package org.fedlodrop.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.ScenarioException;
import org.fedlodrop.simulator.scenario.ScenarioLoader;

/** The project's scenario files, as tests see them from a module directory. */
public final class TestScenarios {
    private TestScenarios() {
    }

    public static Path quickstart() {
        Path fromModule = Path.of("..", "scenarios", "quickstart.yaml");
        return Files.exists(fromModule) ? fromModule : Path.of("scenarios", "quickstart.yaml");
    }

    /** A scenario of the project's scenarios/ directory. */
    public static Path file(String name) {
        Path fromModule = Path.of("..", "scenarios", name);
        return Files.exists(fromModule) ? fromModule : Path.of("scenarios", name);
    }

    /** A scenario of scenarios/ with overrides. */
    public static LoadedScenario load(String name, String... overrides) {
        try {
            return ScenarioLoader.load(file(name), List.of(overrides));
        } catch (ScenarioException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The quickstart with overrides. */
    public static LoadedScenario quickstart(String... overrides) {
        try {
            return ScenarioLoader.load(quickstart(), List.of(overrides));
        } catch (ScenarioException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
