package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.scenario.ScenarioLoader;
import org.fedlodrop.simulator.scenario.ScenarioMappers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    @TempDir
    Path temp;

    @Test
    void runWritesTheWholeRunDirectoryAndASummary() throws Exception {
        Path out = temp.resolve("run");
        CliRunner result = CliRunner.execute("run", TestScenarios.quickstart().toString(), "--out", out.toString(),
                "--set", "rounds=3", "--seed", "9", "--threads", "2");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("fedlodrop: quickstart (seed 9): 3 rounds, 10 devices", "run directory: " + out);
        assertThat(result.err()).contains("round 3/3 done");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(RunFiles.SCENARIO,
                    RunFiles.MANIFEST, RunFiles.EVENTS, RunFiles.ROUNDS, RunFiles.DEVICES, RunFiles.SUMMARY, RunFiles.TOPOLOGY,
                    "report.html", "plots");
        }
        JsonNode manifest = RunFormats.jsonDocument().readTree(out.resolve(RunFiles.MANIFEST).toFile());
        assertThat(manifest.get("status").asText()).isEqualTo("complete");
        assertThat(manifest.get("seed").asLong()).isEqualTo(9);
        assertThat(manifest.get("dispatcher_threads").asInt()).isEqualTo(2);
        assertThat(manifest.get("input_sha256").get(TestScenarios.quickstart().toString()).asText()).hasSize(64);
        assertThat(Files.readAllLines(out.resolve(RunFiles.ROUNDS))).hasSize(4);
    }

    /** Provenance: the manifest names the training engine that ran, and whether auto chose it. */
    @Test
    void theManifestNamesTheTrainingEngine() throws Exception {
        for (String[] engine : new String[][] {{"auto", "training engine java (auto);"}, {"nd4j", "training engine nd4j;"}}) {
            Path out = temp.resolve("engine-" + engine[0]);
            CliRunner result = CliRunner.execute("run", TestScenarios.quickstart().toString(), "--out", out.toString(), "-q",
                    "--set", "rounds=1", "--set", "data.workload=synthetic", "--set", "training.engine=" + engine[0]);
            assertThat(result.exitCode()).as(result.err()).isZero();
            JsonNode manifest = RunFormats.jsonDocument().readTree(out.resolve(RunFiles.MANIFEST).toFile());
            assertThat(manifest.get("backend").asText()).startsWith(engine[1]);
        }
    }

    @Test
    void theResolvedScenarioReadsBackToTheSameScenario() throws Exception {
        Path out = temp.resolve("run");
        assertThat(CliRunner.execute("run", TestScenarios.quickstart().toString(), "--out", out.toString(), "-q",
                "--set", "rounds=1", "--set", "channel.fading=nakagami", "--set", "devices.kappa=2.5e-28").exitCode()).isZero();
        LoadedScenario original = TestScenarios.quickstart("rounds=1", "channel.fading=nakagami", "devices.kappa=2.5e-28");
        Scenario reread = ScenarioLoader.load(out.resolve(RunFiles.SCENARIO), List.of()).scenario();
        assertThat(reread).isEqualTo(original.scenario());
    }

    @Test
    void aJsonScenarioIsAcceptedToo() throws Exception {
        Scenario scenario = TestScenarios.quickstart("rounds=2", "name=from-json").scenario();
        Path json = temp.resolve("scenario.json");
        Files.writeString(json, ScenarioMappers.json().writeValueAsString(scenario));
        CliRunner result = CliRunner.execute("validate", json.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("name: from-json", "rounds: 2");
    }

    @Test
    void anOccupiedOutputDirectoryIsRefusedAndLeftAlone() throws Exception {
        Path out = Files.createDirectories(temp.resolve("taken"));
        Files.writeString(out.resolve("rounds.csv"), "precious");
        CliRunner result = CliRunner.execute("run", TestScenarios.quickstart().toString(), "--out", out.toString(), "-q");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--out " + out + ": the directory is not empty");
        assertThat(Files.readString(out.resolve("rounds.csv"))).isEqualTo("precious");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void badFlagsGiveExitCodeTwoWithoutStackTrace() {
        for (String[] args : List.of(
                new String[] {"run", "--threads", "0", "--out", temp.resolve("t").toString()},
                new String[] {"run", "--no-such-flag"},
                new String[] {"run", "--seed", "many"},
                new String[] {"validate"},
                new String[] {"validate", temp.resolve("missing.yaml").toString()},
                new String[] {"frobnicate"})) {
            CliRunner result = CliRunner.execute(args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.hasStackTrace()).as(result.err()).isFalse();
            assertThat(result.err()).isNotBlank();
        }
    }

    @Test
    void theSummarySaysWhetherTheTestLossFellOverTheRun() throws Exception {
        Path out = temp.resolve("trend");
        CliRunner result = CliRunner.execute("run", TestScenarios.quickstart().toString(), "--out", out.toString(), "-q",
                "--set", "rounds=4", "--set", "data.workload=synthetic");
        assertThat(result.exitCode()).as(result.err()).isZero();
        java.util.List<org.fedlodrop.reports.records.RoundRecord> rounds = org.fedlodrop.reports.io.RunTables.readCsv(
                out.resolve("rounds.csv"), org.fedlodrop.reports.records.RoundRecord.class);
        double first = rounds.get(0).testLoss();
        double last = rounds.get(3).testLoss();
        double lowest = rounds.stream().mapToDouble(org.fedlodrop.reports.records.RoundRecord::testLoss).min().orElseThrow();
        String expected = String.format("  test loss from round 0 to round 3: %.4f -> %.4f, %s", first, last,
                last < first ? String.format("fell by %.1f %%", 100 * (first - last) / first)
                        : String.format("rose by %.1f %%: the model got worse over the run", 100 * (last - first) / first));
        assertThat(result.out()).contains(expected);
        assertThat(result.out().contains("above its lowest")).isEqualTo(last > 1.05 * lowest);
        // A cost-only run has no test loss, and no such line.
        CliRunner costOnly = CliRunner.execute("run", TestScenarios.quickstart().toString(), "--out",
                temp.resolve("cost").toString(), "-q", "--set", "rounds=2");
        assertThat(costOnly.out()).doesNotContain("test loss from round");
    }

    @Test
    void theDefaultScenarioIsFoundThroughTheInstallation() throws Exception {
        Path home = TestScenarios.quickstart().toAbsolutePath().getParent().getParent();
        String previous = System.getProperty("fedlodrop.home");
        System.setProperty("fedlodrop.home", home.toString());
        try {
            CliRunner result = CliRunner.execute("run", "--out", temp.resolve("default").toString(), "-q",
                    "--set", "rounds=1");
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("fedlodrop: first-run (seed 1): 1 rounds, 20 devices", "learning: final test loss",
                    "mean γ");
            // The default is FedLoDrop itself: the optimising planner on a learning workload.
            org.fedlodrop.simulator.scenario.Scenario scenario = org.fedlodrop.simulator.TestScenarios
                    .load("first-run.yaml").scenario();
            assertThat(scenario.planner().solver()).isEqualTo("psca");
            assertThat(scenario.data().workload()).isEqualTo(org.fedlodrop.simulator.scenario.Workload.SYNTHETIC);
            org.fedlodrop.reports.records.RunSummary summary = org.fedlodrop.reports.io.RunFormats.jsonDocument()
                    .readValue(temp.resolve("default").resolve("summary.json").toFile(),
                            org.fedlodrop.reports.records.RunSummary.class);
            assertThat(summary.learning()).isTrue();
            assertThat(summary.finalTestLoss()).isFinite();
            assertThat(summary.bestTestAccuracyRound()).isZero();
        } finally {
            if (previous == null) {
                System.clearProperty("fedlodrop.home");
            } else {
                System.setProperty("fedlodrop.home", previous);
            }
        }
    }
}
