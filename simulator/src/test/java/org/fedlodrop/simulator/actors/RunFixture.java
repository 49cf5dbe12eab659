package org.fedlodrop.simulator.actors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.run.ScenarioRun;
import org.fedlodrop.simulator.scenario.LoadedScenario;

/** Runs the quickstart with overrides into a directory and reads back what it wrote. */
record RunFixture(Path directory) {
    /** A small learning run: the synthetic workload on two cells' devices under psca, 4 rounds. */
    static final String[] LEARNING = {"rounds=4", "data.workload=synthetic", "data.samples_per_device=20",
            "model.widths=[32, 64, 64]", "model.classes=4", "planner.solver=psca", "budgets.latency_s=130",
            "budgets.energy_j=110", "topology.cells=[{x_m: 0, y_m: 0}, {x_m: 300, y_m: 0}]"};

    /** The overrides {@code values} and then {@code more}: a later one of the same field wins. */
    static String[] append(String[] values, String... more) {
        String[] all = java.util.Arrays.copyOf(values, values.length + more.length);
        System.arraycopy(more, 0, all, values.length, more.length);
        return all;
    }

    static RunFixture run(Path directory, int threads, String... overrides) throws Exception {
        LoadedScenario loaded = TestScenarios.quickstart(overrides);
        Files.createDirectories(directory);
        ScenarioRun.execute(loaded, directory, threads, RunProgress.NONE);
        return new RunFixture(directory);
    }

    /** Runs a scenario of the project's scenarios/ directory with overrides into a directory. */
    static RunFixture runScenario(Path directory, String scenario, int threads, String... overrides) throws Exception {
        LoadedScenario loaded = TestScenarios.load(scenario, overrides);
        Files.createDirectories(directory);
        ScenarioRun.execute(loaded, directory, threads, RunProgress.NONE);
        return new RunFixture(directory);
    }

    List<DeviceRoundRecord> devices() throws Exception {
        return RunTables.readCsv(directory.resolve(RunFiles.DEVICES), DeviceRoundRecord.class);
    }

    List<RoundRecord> rounds() throws Exception {
        return RunTables.readCsv(directory.resolve(RunFiles.ROUNDS), RoundRecord.class);
    }

    List<EventRecord> events() throws Exception {
        return RunTables.readJsonLines(directory.resolve(RunFiles.EVENTS), EventRecord.class);
    }

    byte[] bytes(String file) throws Exception {
        return Files.readAllBytes(directory.resolve(file));
    }
}
