package org.fedlodrop.simulator.cli;

import org.fedlodrop.simulator.run.ScratchDirectory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.EventType;
import org.fedlodrop.simulator.actors.RunProgress;
import org.fedlodrop.simulator.run.ScenarioRun;
import org.fedlodrop.simulator.run.UserInputException;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Print the plan of one round as JSON: γ, bandwidth, power and frequency per device,",
                "the bound's value and the solver's account. The scenario runs up to that round, since",
                "the channel of a round depends on everything before it."})
final class PlanCommand implements Callable<Integer> {
    enum Solver { bnb, psca }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "Scenario file.")
    Path scenario;

    @Mixin
    ScenarioArguments arguments;

    @Option(names = "--solver", paramLabel = "bnb|psca", description = "Solver (default: the scenario's planner.solver).")
    Solver solver;

    @Option(names = "--round", paramLabel = "N", defaultValue = "0", description = "Round to plan, from 0 (default ${DEFAULT-VALUE}).")
    int round;

    @Override
    public Integer call() throws Exception {
        if (round < 0) {
            throw new UserInputException("--round " + round + ": expected a round from 0");
        }
        if (solver != null) {
            arguments.overrides.add("planner.solver=" + solver);
        }
        LoadedScenario loaded = arguments.load(scenario);
        if (round >= loaded.scenario().rounds()) {
            throw new UserInputException("--round " + round + ": the scenario has rounds 0 to " + (loaded.scenario().rounds() - 1));
        }
        arguments.overrides.add("rounds=" + (round + 1));
        LoadedScenario upToRound = arguments.load(scenario);
        try (ScratchDirectory scratch = new ScratchDirectory("fedlodrop-plan")) {
            Path directory = scratch.path();
            ScenarioRun.execute(upToRound, directory, Runtime.getRuntime().availableProcessors(), RunProgress.NONE);
            List<EventRecord> plans = new ArrayList<>();
            for (EventRecord event : RunTables.readJsonLines(directory.resolve(RunFiles.EVENTS), EventRecord.class)) {
                if (event.type() == EventType.PLAN && event.round() == round) {
                    plans.add(event);
                }
            }
            ObjectNode json = RunFormats.jsonDocument().createObjectNode();
            json.put("scenario", loaded.scenario().name());
            json.put("seed", loaded.scenario().seed());
            json.put("round", round);
            json.put("time_ns", plans.isEmpty() ? 0 : plans.get(0).timeNs());
            ArrayNode cells = json.putArray("cells");
            for (EventRecord plan : plans) {
                cells.add(RunFormats.jsonDocument().valueToTree(plan.payload()));
            }
            spec.commandLine().getOut().println(RunFormats.jsonDocument().writeValueAsString(json));
            return FedLoDrop.EXIT_OK;
        }
    }
}
