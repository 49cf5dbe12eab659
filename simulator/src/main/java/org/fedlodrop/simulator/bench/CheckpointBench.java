package org.fedlodrop.simulator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.reports.io.RunState;
import org.fedlodrop.simulator.run.ScratchDirectory;

/**
 * What checkpoints cost a learning run, and whether a long run's memory stays flat (issue 29): whole runs in
 * fresh JVMs, as a user's run is. The cost is read from the run's manifest: the seconds the run paused for
 * checkpoints, and the seconds their own thread spent writing them beside the run (forcing the record files
 * included), each as a share of the run's wall time; and as the wall time with checkpoints off and on,
 * alternated, which the machine's drift blurs.
 */
public final class CheckpointBench {
    private CheckpointBench() {
    }

    /**
     * One run: its wall seconds, the checkpoints it wrote, the seconds their thread spent writing them and the
     * seconds the run paused for them, and the exit status.
     */
    public record Timed(double wallS, int checkpoints, double checkpointS, double pausedS, int exitCode) {
        /** The share of the run's wall time it paused for checkpoints. */
        public double pausedShare() {
            return pausedS / wallS;
        }

        /** The share of the run's wall time the checkpoint thread spent writing, beside the run. */
        public double writingShare() {
            return checkpointS / wallS;
        }
    }

    /** The resident size of a run when its rows show {@code round} rounds done. */
    public record Resident(int round, long bytes) {
    }

    /** A traced run: its resident sizes, and its wall time and checkpoints as its manifest has them. */
    public record Trace(List<Resident> samples, Timed run) {
    }

    /** Runs the case once in a fresh JVM; with {@code every} = 0 it writes no checkpoint. */
    public static Timed time(Path home, EndToEndBench.Case run, int every) throws IOException, InterruptedException {
        try (ScratchDirectory scratch = new ScratchDirectory("fedlodrop-bench-checkpoint")) {
            Path out = scratch.path().resolve("run");
            List<String> overrides = new ArrayList<>(run.overrides());
            overrides.add("output.checkpoint_every=" + every);
            List<String> command = EndToEndBench.runCommand(home, new EndToEndBench.Case(run.label(), run.scenario(),
                    overrides), out);
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(scratch.path().resolve("output.txt").toFile()).start();
            int exit = process.waitFor();
            double wall = (System.nanoTime() - start) / 1e9;
            if (exit != 0) {
                return new Timed(wall, 0, 0, 0, exit);
            }
            return read(out, wall);
        }
    }

    /**
     * Runs the case once in a fresh JVM and reads its resident size each time its rounds.csv shows another
     * {@code every} rounds done; {@code seen} hears of each sample as it is taken.
     */
    public static Trace trace(Path home, EndToEndBench.Case run, int every, List<String> jvmOptions,
                              Consumer<Resident> seen) throws IOException, InterruptedException {
        try (ScratchDirectory scratch = new ScratchDirectory("fedlodrop-bench-resident")) {
            Path out = scratch.path().resolve("run");
            long start = System.nanoTime();
            Process process = new ProcessBuilder(EndToEndBench.runCommand(home, run, out, jvmOptions)).redirectErrorStream(true)
                    .redirectOutput(scratch.path().resolve("output.txt").toFile()).start();
            List<Resident> samples = new ArrayList<>();
            int next = every;
            while (!process.waitFor(50, TimeUnit.MILLISECONDS)) {
                int done = finishedRounds(out);
                if (done >= next) {
                    long bytes = EndToEndBench.resident(process.pid());
                    if (bytes > 0) {
                        Resident sample = new Resident(done, bytes);
                        samples.add(sample);
                        seen.accept(sample);
                    }
                    next = (done / every + 1) * every;
                }
            }
            if (process.exitValue() != 0) {
                throw new IOException(run.label() + ": the run failed (exit " + process.exitValue() + "): "
                        + Files.readString(scratch.path().resolve("output.txt")).strip());
            }
            return new Trace(samples, read(out, (System.nanoTime() - start) / 1e9));
        }
    }

    /** A finished run's checkpoints, from its manifest. */
    private static Timed read(Path run, double wallS) throws IOException {
        JsonNode checkpoints = RunFormats.jsonDocument().readTree(run.resolve(RunFiles.MANIFEST).toFile()).path("checkpoints");
        return new Timed(wallS, checkpoints.path("written").asInt(0), checkpoints.path("seconds").asDouble(0),
                checkpoints.path("paused_s").asDouble(0), 0);
    }

    /** Rounds whose rows the run has written so far (0 before it has any). */
    private static int finishedRounds(Path run) {
        try {
            return RunState.of(run).finishedRounds();
        } catch (IOException | RuntimeException e) {
            return 0; // the manifest is being written
        }
    }
}
