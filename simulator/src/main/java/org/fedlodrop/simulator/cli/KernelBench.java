package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedlodrop.simulator.actors.RunProgress;
import org.fedlodrop.simulator.actors.RunSetup;
import org.fedlodrop.simulator.actors.Simulation;
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
                "100 rounds), beside the same events through a plain sequential priority-queue loop."})
final class KernelBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--devices", defaultValue = "1000", description = "Devices (default ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--rounds", defaultValue = "100", description = "Rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--threads", description = "Dispatcher threads (default: the number of processors).")
    Integer threads;

    @Option(names = "--repeat", defaultValue = "3", description = "Timed repetitions of each engine; the table shows the median (default ${DEFAULT-VALUE}).")
    int repeat;

    @Override
    public Integer call() throws Exception {
        if (devices < 1 || rounds < 1 || repeat < 1) {
            throw new UserInputException("--devices, --rounds and --repeat must be at least 1");
        }
        int dispatcherThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        LoadedScenario scenario = ScenarioLoader.parse("bench.yaml",
                ScenarioWriter.yaml(Scenario.defaults()).getBytes(StandardCharsets.UTF_8),
                // Bandwidth grows with K so that every device keeps the quickstart's 1 MHz share.
                List.of("name=bench-kernel", "devices.count=" + devices, "rounds=" + rounds,
                        "network.bandwidth_hz=" + devices * 1e6));
        RunSetup setup = RunSetup.of(scenario);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("fedlodrop bench kernel: cost-only quickstart scenario with %d devices (1 MHz each), %d rounds, %d dispatcher threads%n",
                devices, rounds, dispatcherThreads);

        double[] actorSeconds = new double[repeat];
        SequentialEventLoop.Recording recording = null;
        for (int i = 0; i < repeat; i++) {
            try (ScratchDirectory scratch = new ScratchDirectory("fedlodrop-bench")) {
                SequentialEventLoop.Recording trace = new SequentialEventLoop.Recording();
                long start = System.nanoTime();
                Simulation.run(setup, Planners.of(setup), scratch.path(), dispatcherThreads, RunProgress.NONE, trace);
                actorSeconds[i] = (System.nanoTime() - start) / 1e9;
                recording = trace;
            }
        }
        double[] loopSeconds = new double[repeat];
        long dispatched = 0;
        for (int i = 0; i < repeat + 2; i++) {
            long start = System.nanoTime();
            dispatched = SequentialEventLoop.replay(recording);
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (i >= 2) {
                loopSeconds[i - 2] = elapsed; // the first two replays warm the JIT up
            }
        }
        double actor = median(actorSeconds);
        double loop = median(loopSeconds);
        int events = recording.events();
        out.println();
        out.println("| engine | events | steps | median wall s | events/s |");
        out.println("|---|---:|---:|---:|---:|");
        out.printf("| actor kernel (Pekko, conservative stepping, records written) | %d | %d | %.3f | %.0f |%n",
                events, recording.steps(), actor, events / actor);
        out.printf("| sequential priority-queue loop (same events) | %d | %d | %.3f | %.0f |%n",
                dispatched, recording.steps(), loop, dispatched / loop);
        out.printf("%nactor kernel / priority-queue loop time ratio: %.1f%n", actor / loop);
        out.printf("machine: %s %s, %d processors, Java %s%n", System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        return FedLoDrop.EXIT_OK;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
