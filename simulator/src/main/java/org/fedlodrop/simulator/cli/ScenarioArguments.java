package org.fedlodrop.simulator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.ScenarioException;
import org.fedlodrop.simulator.scenario.ScenarioLoader;
import org.fedlodrop.simulator.run.UserInputException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every command that reads a scenario shares: overrides, the seed and the plugin directory. */
final class ScenarioArguments {
    static final String DEFAULT_SCENARIO = "scenarios/first-run.yaml";

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "Override a scenario field, e.g. --set devices.count=50 --set channel.fading=rician. Repeatable.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "Override the scenario's seed (same as --set seed=N).")
    Long seed;

    @Mixin
    PluginOption plugins = new PluginOption();

    LoadedScenario load(Path file) throws ScenarioException, UserInputException {
        List<String> all = new ArrayList<>(overrides);
        if (seed != null) {
            all.add("seed=" + seed);
        }
        return ScenarioLoader.load(file, all, plugins.load());
    }

    /**
     * The default scenario is looked up in the working directory, then in the installation that the
     * launcher names in {@code fedlodrop.home}, so {@code ./fedlodrop run} works from anywhere.
     */
    static Path resolve(Path given) {
        if (given.toString().equals(DEFAULT_SCENARIO) && !Files.exists(given)) {
            String home = System.getProperty("fedlodrop.home");
            if (home != null) {
                return Path.of(home).resolve(DEFAULT_SCENARIO);
            }
        }
        return given;
    }
}
