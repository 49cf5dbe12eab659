package org.fedlodrop.simulator.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedlodrop.reports.html.RunReport;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunState;
import org.fedlodrop.simulator.run.UserInputException;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.scenario.ScenarioLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write a run directory's report.html and plots/ again from its files, e.g. with the",
                "Gantt chart of another round."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory.")
    Path run;

    @Option(names = "--gantt-round", paramLabel = "N", defaultValue = "0",
            description = "Round of the Gantt chart (default ${DEFAULT-VALUE}).")
    int ganttRound;

    @Override
    public Integer call() throws Exception {
        FinishedRun.require(run, RunFiles.SCENARIO, RunFiles.MANIFEST);
        // A run that did not finish is reported as far as its rounds finished; one still running is left alone.
        RunState state = FinishedRun.state(run);
        if (!java.nio.file.Files.isRegularFile(run.resolve(RunFiles.SUMMARY))) {
            if (state.status() == RunState.Status.RUNNING || state.status() == RunState.Status.UNKNOWN) {
                FinishedRun.require(run, RunFiles.SUMMARY);
            }
            if (state.finishedRounds() == 0) {
                throw new UserInputException(state.describe(run) + "; there is no finished round to report");
            }
        }
        Scenario scenario = ScenarioLoader.load(run.resolve(RunFiles.SCENARIO), List.of()).scenario();
        if (ganttRound < 0 || ganttRound >= scenario.rounds()) {
            throw new UserInputException("--gantt-round " + ganttRound + ": the run has rounds 0 to " + (scenario.rounds() - 1));
        }
        Path report = RunReport.write(run, new RunReport.Budgets(scenario.budgets().latencyS(), scenario.budgets().energyJ()),
                ganttRound);
        spec.commandLine().getOut().println("wrote " + report);
        if (state.status() != RunState.Status.COMPLETE && !state.describe(run).isEmpty()) {
            spec.commandLine().getOut().println(state.describe(run) + "; the report covers those rounds");
        }
        return FedLoDrop.EXIT_OK;
    }
}
