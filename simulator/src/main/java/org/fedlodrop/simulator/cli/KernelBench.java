package org.fedlodrop.simulator.cli;

import org.fedlodrop.simulator.run.ScratchDirectory;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ArrayList;
import org.fedlodrop.simulator.bench.FileNumbers;
import org.fedlodrop.simulator.bench.FileRewrite;
import org.fedlodrop.simulator.bench.SimPyKernelBench;
import java.util.concurrent.Callable;
import org.fedlodrop.simulator.kernel.Clock;
import org.fedlodrop.simulator.actors.RunProgress;
import org.fedlodrop.simulator.setup.RunSetup;
import org.fedlodrop.simulator.actors.Simulation;
import org.fedlodrop.simulator.bench.MessageFloor;
import org.fedlodrop.simulator.bench.SequentialEventLoop;
import org.fedlodrop.simulator.run.Planners;
import org.fedlodrop.simulator.run.UserInputException;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.scenario.ScenarioLoader;
import org.fedlodrop.simulator.scenario.ScenarioWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = {"Events per second of the actor kernel on a cost-only scenario (default: 1,000 devices,",
                "100 rounds), with windows and one step per time and depth, beside the same events through a plain",
                "sequential priority-queue loop and through Pekko with empty handlers (the messages alone), the",
                "windows run's files priced on one core (their doubles spelled, and the files written again from the",
                "run's records), and a learning run (the synthetic workload; default 100 devices, 10 rounds). With",
                "--against-simpy, the same round pattern as a SimPy 2 model with empty handlers beside them (Debian:",
                "apt-get install python3-simpy), and the ratio."})
final class KernelBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--devices", defaultValue = "1000", description = "Devices (default ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--rounds", defaultValue = "100", description = "Rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--threads", description = "Dispatcher threads (default: the number of processors).")
    Integer threads;

    @Option(names = "--learning-devices", defaultValue = "100",
            description = "Devices of the learning row (default ${DEFAULT-VALUE}; 0 skips it).")
    int learningDevices;

    @Option(names = "--learning-rounds", defaultValue = "10", description = "Rounds of the learning row (default ${DEFAULT-VALUE}).")
    int learningRounds;

    @Option(names = "--repeat", defaultValue = "3", description = "Timed repetitions of each engine; the table shows the median (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--against-simpy", description = {"Also run the round pattern as a SimPy 2 model with empty handlers"
            + " (a python3 with SimPy: FEDLODROP_PYTHON, /usr/bin/python3 or python3 on PATH; Debian: apt-get install"
            + " python3-simpy), before and after the actor runs, and compare events per second."})
    boolean againstSimPy;

    @Override
    public Integer call() throws Exception {
        if (devices < 1 || rounds < 1 || repeat < 1 || learningRounds < 1) {
            throw new UserInputException("--devices, --rounds, --learning-rounds and --repeat must be at least 1");
        }
        if (learningDevices < 0) {
            throw new UserInputException("--learning-devices must be at least 0 (0 skips the learning row)");
        }
        int dispatcherThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        LoadedScenario scenario = ScenarioLoader.parse("bench.yaml",
                ScenarioWriter.yaml(Scenario.defaults()).getBytes(StandardCharsets.UTF_8),
                // Bandwidth grows with K so that every device keeps the quickstart's 1 MHz share; masked-mean, as the
                // committed figures were measured (no W0 change on the download).
                List.of("name=bench-kernel", "devices.count=" + devices, "rounds=" + rounds,
                        "network.bandwidth_hz=" + devices * 1e6, "dropout.aggregation=masked-mean"));
        RunSetup setup = RunSetup.of(scenario);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("fedlodrop bench kernel: cost-only quickstart scenario with %d devices (1 MHz each), %d rounds, %d dispatcher threads%n",
                devices, rounds, dispatcherThreads);

        Optional<String> python = againstSimPy ? SimPyKernelBench.findPython() : Optional.empty();
        if (againstSimPy && python.isEmpty()) {
            out.println("SimPy: no python3 with SimPy 2 found (FEDLODROP_PYTHON, /usr/bin/python3, python3; Debian:"
                    + " apt-get install python3-simpy); fedlodrop's rows alone follow.");
        }
        List<SimPyKernelBench.Measurement> simpy = new ArrayList<>();
        if (python.isPresent()) {
            simpy.add(SimPyKernelBench.measure(python.get(), devices, rounds, repeat));
        }
        Map<Clock.Synchronisation, Timed> both = timed(setup, dispatcherThreads);
        if (python.isPresent()) {
            // Again after the actor runs, so that a VM that drifts in speed weighs on both sides alike.
            simpy.add(SimPyKernelBench.measure(python.get(), devices, rounds, repeat));
        }
        Timed actorRuns = both.get(Clock.Synchronisation.WINDOWS);
        Timed steppedRuns = both.get(Clock.Synchronisation.STEPS);
        SequentialEventLoop.Recording recording = actorRuns.recording();
        long[] dispatched = new long[1];
        double loop = medianAfter(2, () -> { // the first two replays warm the JIT up
            long start = System.nanoTime();
            dispatched[0] = SequentialEventLoop.replay(recording);
            return (System.nanoTime() - start) / 1e9;
        });
        // The windows' deliveries and acknowledgements through Pekko with empty handlers; the first run warms up.
        double floor = medianAfter(1, () -> MessageFloor.replay(recording.deliveriesByWindow(), recording.actors(),
                dispatcherThreads).seconds());
        // The doubles the windows run wrote, spelled as the files spell them: output no kernel can skip.
        long[] spelledLength = new long[1];
        double spelling = medianAfter(2, () -> windowsFiles.spellSeconds(spelledLength));
        // The whole files again from the run's records: every record's encoding and writing, on one thread.
        double rewriting = windowsRewrite == null ? Double.NaN : medianAfter(2, windowsRewrite::seconds);
        double actor = actorRuns.medianSeconds();
        double stepped = steppedRuns.medianSeconds();
        int events = recording.events();
        out.println();
        out.println("| engine | events | steps | steps per round | median wall s | events/s |");
        out.println("|---|---:|---:|---:|---:|---:|");
        row(out, "actor kernel, windows (Pekko, records written)", events, recording.steps(), rounds, actor);
        row(out, "actor kernel, one step per time and depth (before windows)", steppedRuns.recording().events(),
                steppedRuns.recording().steps(), rounds, stepped);
        out.printf("| sequential priority-queue loop (same events) | %d | | | %.3f | %.0f |%n", dispatched[0], loop,
                dispatched[0] / loop);
        row(out, String.format("Pekko messages alone (the windows row's %d deliveries and as many acknowledgements,"
                + " empty handlers)", recording.deliveries()), events, recording.steps(), rounds, floor);
        out.printf("| spelling the windows run's %d doubles alone (%d distinct; one core, the files' own cache) | | | | %.3f | |%n",
                windowsFiles.count(), windowsFiles.distinct(), spelling);
        if (windowsRewrite != null) {
            out.printf("| writing the windows run's files again from its %d records (one thread, the same bytes) | | | | %.3f | |%n",
                    windowsRewrite.records(), rewriting);
        }
        // The median of every SimPy repetition, before and after the actor runs; NaN without SimPy.
        double simpySeconds = Double.NaN;
        if (!simpy.isEmpty()) {
            double[] all = simpy.stream().flatMapToDouble(m -> java.util.Arrays.stream(m.seconds())).toArray();
            simpySeconds = median(all);
            out.printf("| SimPy %s model, empty handlers (same devices and rounds; %d runs before and after) | %d | | | %.3f | %.0f |%n",
                    simpy.get(0).version(), all.length, simpy.get(0).events(), simpySeconds,
                    simpy.get(0).events() / simpySeconds);
        }
        if (learningDevices > 0) {
            // Every device trains its sub-adapter (20 samples, 3 local epochs, java engine) while virtual time goes on.
            LoadedScenario learning = ScenarioLoader.parse("bench-learning.yaml",
                    ScenarioWriter.yaml(Scenario.defaults()).getBytes(StandardCharsets.UTF_8),
                    List.of("name=bench-kernel-learning", "devices.count=" + learningDevices, "rounds=" + learningRounds,
                            "network.bandwidth_hz=" + learningDevices * 1e6, "data.workload=synthetic",
                            "dropout.aggregation=masked-mean"));
            Map<Clock.Synchronisation, Timed> learningBoth = timed(RunSetup.of(learning), dispatcherThreads);
            for (Clock.Synchronisation how : Clock.Synchronisation.values()) {
                Timed learningRuns = learningBoth.get(how);
                row(out, String.format("actor kernel with learning, %s (synthetic workload, %d devices, %d rounds)",
                                how == Clock.Synchronisation.WINDOWS ? "windows" : "one step per time and depth",
                                learningDevices, learningRounds), learningRuns.recording().events(),
                        learningRuns.recording().steps(), learningRounds, learningRuns.medianSeconds());
            }
        }
        out.printf("%nactor kernel / priority-queue loop time ratio: %.1f with windows, %.1f one step per time and depth%n",
                actor / loop, stepped / loop);
        out.printf("Pekko's messages alone take %.0f %% of the windows row's time (%.2f µs a message)%n", 100 * floor / actor,
                1e6 * floor / (2.0 * recording.deliveries()));
        out.printf("spelling the files' doubles alone takes %.0f %% of the windows row's time, on one core of %d%n",
                100 * spelling / actor, dispatcherThreads);
        if (windowsRewrite == null) {
            out.printf("the windows run's files were not written again: over %d MB, their records would not fit beside"
                    + " the benchmark%n", REWRITE_LIMIT_BYTES >> 20);
        } else {
            out.printf("writing the files alone takes %.0f %% of the windows row's time, on one core of %d%n",
                    100 * rewriting / actor, dispatcherThreads);
        }
        if (!Double.isNaN(simpySeconds)) {
            // Each side counts the events its own queue orders (SimPy: a device's wake-up at the round's start and
            // its three holds, fedlodrop: the clock's events), so the time for the same rounds is the fairer figure.
            out.printf("actor kernel with windows against the SimPy model: %.2f times its events per second, %.2f times"
                            + " its speed on the same %d device-rounds%n",
                    (events / actor) / (simpy.get(0).events() / simpySeconds), simpySeconds / actor,
                    (long) devices * rounds);
            out.printf("Pekko's messages alone against the SimPy model: %.2f times its events per second%n",
                    (events / floor) / (simpy.get(0).events() / simpySeconds));
            // Issue 32's target, and how much of it the files take by themselves.
            double target = events / (2 * simpy.get(0).events() / simpySeconds);
            out.printf("twice the SimPy model's events per second needs the windows row in %.3f s; spelling its files'"
                    + " doubles alone takes %.3f s of one core (%.0f %% of that)%n", target, spelling, 100 * spelling / target);
            if (windowsRewrite != null) {
                out.printf("writing its files alone takes %.3f s of one core (%.0f %% of that)%n", rewriting,
                        100 * rewriting / target);
            }
        }
        out.printf("machine: %s %s, %d processors, Java %s%n", System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        return FedLoDrop.EXIT_OK;
    }

    /** Files larger than this are not read back into records to be written again (a million records weigh a GB). */
    private static final long REWRITE_LIMIT_BYTES = 512L << 20;

    /** The doubles the first windows run wrote to its files, read back before its scratch folder goes. */
    private FileNumbers windowsFiles;
    /** That run's records, read back to be written again; null when its files are over the limit. */
    private FileRewrite windowsRewrite;

    /** The median wall time of {@code repeat} runs through the actor kernel, and the last run's events. */
    private record Timed(double medianSeconds, SequentialEventLoop.Recording recording) {
    }

    private static void row(PrintWriter out, String engine, int events, int steps, int rounds, double seconds) {
        out.printf("| %s | %d | %d | %.1f | %.3f | %.0f |%n", engine, events, steps, steps / (double) rounds, seconds,
                events / seconds);
    }

    /**
     * Both synchronisations: a first, untimed run of each records the events (for the loop) and warms the JIT
     * up; then the timed runs alternate between them, so that neither gains from running later, and go
     * without the recording, which is the benchmark's work, not the kernel's.
     */
    private Map<Clock.Synchronisation, Timed> timed(RunSetup setup, int dispatcherThreads) throws Exception {
        Map<Clock.Synchronisation, SequentialEventLoop.Recording> recordings = new EnumMap<>(Clock.Synchronisation.class);
        Map<Clock.Synchronisation, double[]> seconds = new EnumMap<>(Clock.Synchronisation.class);
        for (Clock.Synchronisation how : Clock.Synchronisation.values()) {
            SequentialEventLoop.Recording recording = new SequentialEventLoop.Recording();
            try (ScratchDirectory scratch = new ScratchDirectory("fedlodrop-bench")) {
                Simulation.run(setup, Planners.of(setup), scratch.path(), dispatcherThreads, RunProgress.NONE, recording,
                        Simulation.Host.local(dispatcherThreads).with(how));
                if (how == Clock.Synchronisation.WINDOWS && windowsFiles == null) {
                    windowsFiles = FileNumbers.of(scratch.path());
                    if (scratch.bytes() <= REWRITE_LIMIT_BYTES) {
                        windowsRewrite = FileRewrite.of(scratch.path());
                    }
                }
            }
            recordings.put(how, recording);
            seconds.put(how, new double[repeat]);
        }
        for (int i = 0; i < repeat; i++) {
            for (Clock.Synchronisation how : Clock.Synchronisation.values()) {
                SequentialEventLoop.Recording recording = recordings.get(how);
                try (ScratchDirectory scratch = new ScratchDirectory("fedlodrop-bench")) {
                    long start = System.nanoTime();
                    Simulation.Outcome outcome = Simulation.run(setup, Planners.of(setup), scratch.path(), dispatcherThreads,
                            RunProgress.NONE, Clock.Trace.NONE, Simulation.Host.local(dispatcherThreads).with(how));
                    seconds.get(how)[i] = (System.nanoTime() - start) / 1e9;
                    if (outcome.events() != recording.events() || outcome.steps() != recording.steps()) {
                        throw new IllegalStateException("a timed run handled " + outcome.events() + " events in "
                                + outcome.steps() + " steps, the recorded one " + recording.events() + " in "
                                + recording.steps());
                    }
                }
            }
        }
        Map<Clock.Synchronisation, Timed> timed = new EnumMap<>(Clock.Synchronisation.class);
        for (Clock.Synchronisation how : Clock.Synchronisation.values()) {
            timed.put(how, new Timed(median(seconds.get(how)), recordings.get(how)));
        }
        return timed;
    }

    /** Seconds a benchmark step takes; it may wait for threads or write files. */
    private interface TimedStep {
        double seconds() throws Exception;
    }

    /** The median of {@code repeat} timings of {@code step}, after {@code warmUps} untimed ones that warm the JIT up. */
    private double medianAfter(int warmUps, TimedStep step) throws Exception {
        double[] timed = new double[repeat];
        for (int i = 0; i < repeat + warmUps; i++) {
            double elapsed = step.seconds();
            if (i >= warmUps) {
                timed[i - warmUps] = elapsed;
            }
        }
        return median(timed);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
