package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fedlodrop.models.corpus.Corpus;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunState;
import org.fedlodrop.simulator.TestCorpora;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.resume.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed as SIGKILL kills it (a fail point halts the process: no shutdown hook, nothing buffered
 * flushed) while training, aggregating, writing a checkpoint or starting a round, then resumed with
 * {@code run --resume}, ends with every file byte-identical to the run never interrupted, on one or two
 * dispatcher threads (issue 29).
 */
class ResumeRunTest {
    /** synthetic.yaml: 10 devices learning; checkpoints at rounds 5 and 10 of 12. */
    private static final List<String> SYNTHETIC = List.of("--set", "rounds=12", "--set", "output.checkpoint_every=5");

    @TempDir
    Path temp;

    @Test
    void aLearningRunKilledAnywhereResumesToTheFilesOfTheRunNeverInterrupted() throws Exception {
        Path whole = run("whole", "synthetic.yaml", SYNTHETIC, 1);
        // point, the rounds the resume may start from, threads before and after. Checkpoints are written beside
        // the run, so one may still be in flight when a later point kills the run: then the one before is used.
        Object[][] kills = {
            {"training:8", List.of(5, 0), 1, 2},
            {"aggregation:7", List.of(5, 0), 2, 1},
            {"checkpoint:10", List.of(5), 1, 1}, // the checkpoint of round 10 half-written: the one of round 5 is used
            {"checkpoint-written:10", List.of(10), 2, 1}, // killed as soon as it is in place
            {"aggregation:11", List.of(10, 5), 2, 2},
            {"training:2", List.of(0), 1, 2}, // before the first checkpoint: the run starts again
        };
        for (Object[] kill : kills) {
            String point = (String) kill[0];
            Path killed = killedRun(point.replace(':', '-'), point, "synthetic.yaml", SYNTHETIC, (int) kill[2]);
            CliRunner resumed = CliRunner.execute("run", "--resume", killed.toString(), "-q", "--threads",
                    Integer.toString((int) kill[3]));
            assertThat(resumed.exitCode()).as(point + ": " + resumed.err()).isZero();
            @SuppressWarnings("unchecked")
            List<Integer> allowed = (List<Integer>) kill[1];
            int from = allowed.stream().filter(r -> resumed.err().contains(r == 0
                    ? "it has no checkpoint, so it runs again from round 0" : "from round " + r + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError(point + ": expected a resume from round " + allowed + ": "
                            + resumed.err()));
            assertSameFiles(whole, killed, point);
            String manifest = Files.readString(killed.resolve(RunFiles.MANIFEST));
            assertThat(manifest).as(point).contains("\"status\" : \"complete\"", "\"from_round\" : " + from);
            assertThat(killed.resolve(Checkpoints.DIRECTORY)).as("a complete run keeps no checkpoints").doesNotExist();
        }
    }

    @Test
    void aResumedRunKilledAgainResumesAgainToTheSameFiles() throws Exception {
        Path whole = run("whole", "synthetic.yaml", SYNTHETIC, 2);
        Path killed = killedRun("twice", "checkpoint-written:5", "synthetic.yaml", SYNTHETIC, 1);
        // The resume itself dies, once the checkpoint of round 10 is in place (checkpoints are written beside the
        // run, so a later fail point could come before it).
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dfedlodrop.failpoint=checkpoint-written:10", "-cp", System.getProperty("java.class.path"),
                FedLoDrop.class.getName(), "run", "--resume", killed.toString(), "-q"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve("twice-resume.log").toFile()).start();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(temp.resolve("twice-resume.log"))).isEqualTo(137);
        CliRunner resumed = CliRunner.execute("run", "--resume", killed.toString(), "-q");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("from round 10");
        assertSameFiles(whole, killed, "resumed twice");
        assertThat(Files.readString(killed.resolve(RunFiles.MANIFEST)))
                .contains("\"from_round\" : 5", "\"from_round\" : 10");
    }

    /**
     * Cells that merge in the cloud every second round (docs/hierarchy.md): checkpoints fall on merge rounds, where
     * every cell holds the cloud's model, and the resumed run writes cells.csv and the rest as the run never
     * interrupted does; a checkpoint_every that is not a merge round waits for the next merge.
     */
    @Test
    void aHierarchicalRunResumesToTheFilesOfTheRunNeverInterrupted() throws Exception {
        List<String> backhaul = List.of("--set", "rounds=8", "--set", "output.checkpoint_every=3", "--set",
                "topology.cells=[{x_m: 0, y_m: 0}, {x_m: 1500, y_m: 0}]", "--set",
                "topology.backhaul={cloud_every: 2, links: [{from: cell-0, to: cloud, latency_s: 0.01, capacity_bps: 1e10}, "
                        + "{from: cell-1, to: cloud, latency_s: 0.03, capacity_bps: 2e9}]}");
        Path whole = run("backhaul-whole", "first-run.yaml", backhaul, 1);
        Path killed = killedRun("backhaul-killed", "training:7", "first-run.yaml", backhaul, 2);
        CliRunner resumed = CliRunner.execute("run", "--resume", killed.toString(), "-q", "--threads", "1");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        // Due after round 2, which ends no merge, the first checkpoint waits for round 3; the second is due at a merge.
        assertThat(resumed.err()).contains("from round 6");
        assertSameFiles(whole, killed, "backhaul");
        assertThat(Files.readString(whole.resolve(RunFiles.CELLS)).lines()).hasSize(1 + 8 * 2);
        assertThat(Files.readString(whole.resolve(RunFiles.EVENTS))).contains("\"type\":\"cloud_merge\"");
    }

    /** Planned bit widths (issue 31): the replay plans them again, and the devices round at them as the run did. */
    @Test
    void aRunWithPlannedWidthsResumesToTheFilesOfTheRunNeverInterrupted() throws Exception {
        List<String> widths = List.of("--set", "rounds=6", "--set", "output.checkpoint_every=3", "--set",
                "model.bit_widths=[2, 8, 32]", "--set", "planner.bound.c_quant=10");
        Path whole = run("widths-whole", "first-run.yaml", widths, 1);
        Path killed = killedRun("widths-killed", "training:4", "first-run.yaml", widths, 2);
        CliRunner resumed = CliRunner.execute("run", "--resume", killed.toString(), "-q", "--threads", "1");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("from round 3");
        assertSameFiles(whole, killed, "planned widths");
        assertThat(Files.readString(whole.resolve(RunFiles.EVENTS))).contains("\"bits\":2");
    }

    @Test
    void aMiniLmRunOnMailResumesToTheFilesOfTheRunNeverInterrupted() throws Exception {
        TestCorpora.fetched(Corpus.SPAM_ASSASSIN);
        List<String> shrunk = new ArrayList<>();
        for (String set : new String[] {"rounds=4", "output.checkpoint_every=2", "devices.count=2",
            "data.samples_per_device=16", "data.test_samples=48", "model.layers=1", "model.max_length=32",
            "training.local_epochs=1", "planner.solver=fixed", "dropout.rate=0.3"}) {
            shrunk.add("--set");
            shrunk.add(set);
        }
        Path whole = run("bert-whole", "spam.yaml", shrunk, 1);
        Path killed = killedRun("bert-killed", "checkpoint-written:2", "spam.yaml", shrunk, 2);
        CliRunner resumed = CliRunner.execute("run", "--resume", killed.toString(), "-q", "--threads", "1");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("from round 2");
        assertSameFiles(whole, killed, "bert");
    }

    @Test
    void aCorruptCheckpointIsPassedOverAndSaidSoAndNoneWholeIsALocatedError() throws Exception {
        Path whole = run("whole", "synthetic.yaml", SYNTHETIC, 2);
        Path killed = killedRun("corrupt", "checkpoint-written:10", "synthetic.yaml", SYNTHETIC, 2);
        Path newest = killed.resolve(Checkpoints.DIRECTORY).resolve("round-000010").resolve("learning.safetensors");
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // truncated
        CliRunner resumed = CliRunner.execute("run", "--resume", killed.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        // Progress says which rounds were replayed and which computed.
        assertThat(resumed.err()).contains("round 5/12 replayed", "round 6/12 done").doesNotContain("round 6/12 replayed");
        assertThat(resumed.err()).contains("passed over a checkpoint: " + newest
                + ": its SHA-256 is not the one state.json recorded (truncated or corrupt)", "from round 5");
        assertSameFiles(whole, killed, "corrupt newest");

        Path broken = killedRun("broken", "checkpoint-written:10", "synthetic.yaml", SYNTHETIC, 2);
        Path state10 = broken.resolve(Checkpoints.DIRECTORY).resolve("round-000010").resolve("state.json");
        Files.writeString(state10, "{\"format\": ");
        Path learning5 = broken.resolve(Checkpoints.DIRECTORY).resolve("round-000005").resolve("learning.safetensors");
        Files.write(learning5, new byte[] {1, 2, 3});
        TreeMap<String, byte[]> before = files(broken);
        CliRunner refused = CliRunner.execute("run", "--resume", broken.toString(), "-q");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("no checkpoint of " + broken + " can be used", state10 + ": not a checkpoint's state",
                learning5 + ": its SHA-256 is not the one state.json recorded", "Remove " + broken.resolve("checkpoints"));
        assertThat(refused.hasStackTrace()).isFalse();
        assertThat(files(broken)).as("nothing already written is lost").containsExactlyEntriesOf(before);
    }

    @Test
    void aCostOnlyRunHasNoCheckpointsAndResumesByRunningAgain() throws Exception {
        List<String> small = List.of("--set", "rounds=6", "--set", "devices.count=4");
        Path whole = run("cost-whole", TestScenarios.quickstart().toString(), small, 1);
        Path killed = killedRun("cost-killed", "round:4", TestScenarios.quickstart().toString(), small, 1);
        assertThat(killed.resolve(Checkpoints.DIRECTORY)).doesNotExist();
        CliRunner resumed = CliRunner.execute("run", "--resume", killed.toString(), "-q");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("it has no checkpoint, so it runs again from round 0");
        assertSameFiles(whole, killed, "cost-only");
    }

    @Test
    void whatCannotBeResumedIsRefusedWithALocatedError() throws Exception {
        Path complete = run("complete", "synthetic.yaml", List.of("--set", "rounds=2"), 1);
        assertRefused(List.of("run", "--resume", complete.toString()), "the run is complete; nothing to resume");
        assertRefused(List.of("run", "--resume", temp.toString()), "no manifest.json there");
        Path killed = killedRun("edited", "aggregation:7", "synthetic.yaml", SYNTHETIC, 1);
        assertRefused(List.of("run", "--resume", killed.toString(), "--set", "rounds=20"),
                "leave out SCENARIO, --set, --seed, --out and --cluster");
        assertRefused(List.of("run", scenarioPath("synthetic.yaml"), "--out", killed.toString()),
                "it holds an unfinished run: fedlodrop run --resume " + killed + " goes on with it");
        Path scenario = killed.resolve(RunFiles.SCENARIO);
        Files.writeString(scenario, Files.readString(scenario).replace("rounds: 12", "rounds: 13"));
        assertRefused(List.of("run", "--resume", killed.toString()), scenario + ": changed since the run started");
    }

    private void assertRefused(List<String> args, String message) {
        CliRunner result = CliRunner.execute(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains(message);
        assertThat(result.hasStackTrace()).isFalse();
    }

    private Path run(String name, String scenario, List<String> sets, int threads) {
        Path out = temp.resolve(name);
        List<String> args = new ArrayList<>(List.of("run", scenarioPath(scenario)));
        args.addAll(sets);
        args.addAll(List.of("--out", out.toString(), "-q", "--threads", Integer.toString(threads)));
        CliRunner result = CliRunner.execute(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();
        return out;
    }

    /** The run in a child process that dies at the fail point, as after SIGKILL. */
    private Path killedRun(String name, String failPoint, String scenario, List<String> sets, int threads)
            throws IOException, InterruptedException {
        Path out = temp.resolve(name);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dfedlodrop.failpoint=" + failPoint, "-cp", System.getProperty("java.class.path"),
                FedLoDrop.class.getName(), "run", scenarioPath(scenario)));
        command.addAll(sets);
        command.addAll(List.of("--out", out.toString(), "-q", "--threads", Integer.toString(threads)));
        Path log = temp.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(failPoint + ": " + Files.readString(log)).isEqualTo(137);
        assertThat(RunState.of(out).status()).isEqualTo(RunState.Status.INTERRUPTED);
        return out;
    }

    private static String scenarioPath(String scenario) {
        return scenario.contains("/") ? scenario : TestScenarios.file(scenario).toString();
    }

    private static void assertSameFiles(Path expected, Path actual, String what) throws IOException {
        TreeMap<String, byte[]> want = files(expected);
        TreeMap<String, byte[]> got = files(actual);
        want.remove(RunFiles.MANIFEST);
        got.remove(RunFiles.MANIFEST);
        assertThat(got.keySet()).as(what).containsExactlyElementsOf(want.keySet());
        for (String file : want.keySet()) {
            byte[] w = want.get(file);
            byte[] g = got.get(file);
            int at = java.util.Arrays.mismatch(w, g);
            if (at >= 0) {
                long line = new String(w, 0, Math.min(at, w.length), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .chars().filter(c -> c == '\n').count() + 1;
                org.assertj.core.api.Assertions.fail(what + ": " + file + " differs from the uninterrupted run's at byte "
                        + at + " (line " + line + "; " + w.length + " vs " + g.length + " bytes)");
            }
        }
    }

    private static TreeMap<String, byte[]> files(Path directory) throws IOException {
        TreeMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(directory)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                files.put(directory.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }
}
