package org.fedlodrop.simulator.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.ScenarioWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check a scenario file and print it resolved (every default filled),",
                "or print every problem with file, line, column and field path, and exit with code 2."})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "Scenario file (YAML, or JSON by extension).")
    Path scenario;

    @Mixin
    ScenarioArguments arguments;

    @Override
    public Integer call() throws Exception {
        LoadedScenario loaded = arguments.load(scenario);
        spec.commandLine().getOut().print(ScenarioWriter.yaml(loaded.scenario()));
        return FedLoDrop.EXIT_OK;
    }
}
