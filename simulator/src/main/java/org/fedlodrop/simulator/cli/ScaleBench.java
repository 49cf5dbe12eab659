package org.fedlodrop.simulator.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.fedlodrop.simulator.actors.RunProgress;
import org.fedlodrop.simulator.actors.RunSetup;
import org.fedlodrop.simulator.actors.Simulation;
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

@Command(name = "scale", mixinStandardHelpOptions = true,
        description = {"Time and memory of a cost-only scenario as the number of devices grows (default 100,",
                "1,000, 10,000 and 100,000 devices, 3 rounds, 1 MHz per device) on one member: set-up, run,",
                "events per second, the largest heap in use during the run, and the size of the files written."})
final class ScaleBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--sizes", split = ",", defaultValue = "100,1000,10000,100000", paramLabel = "K,K,...",
            description = "Device counts (default ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--threads", description = "Dispatcher threads (default: the number of processors).")
    Integer threads;

    /** One row of the table. */
    record Row(int devices, long events, double setupS, double runS, long peakHeapBytes, long fileBytes) {
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || sizes.stream().anyMatch(k -> k < 1 || k > 1_000_000)) {
            throw new UserInputException("--rounds must be at least 1 and every --sizes value from 1 to 1,000,000");
        }
        int dispatcherThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        PrintWriter out = spec.commandLine().getOut();
        out.printf("fedlodrop bench scale: cost-only quickstart scenario, %d rounds, 1 MHz per device, uniform planner,"
                + " %d dispatcher threads, one member%n%n", rounds, dispatcherThreads);
        out.println("| devices | events | set-up s | run s | events/s | peak heap MiB | files MiB |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|");
        out.flush();
        List<Row> rows = new ArrayList<>();
        for (int devices : sizes) {
            Row row = measure(devices, dispatcherThreads);
            rows.add(row);
            out.printf("| %,d | %,d | %.2f | %.2f | %,.0f | %,.0f | %.1f |%n", row.devices(), row.events(), row.setupS(),
                    row.runS(), row.events() / row.runS(), row.peakHeapBytes() / 1048576.0, row.fileBytes() / 1048576.0);
            out.flush();
        }
        out.printf("%ntwo members: not measured; a single scenario does not yet spread its devices over cluster"
                + " members (studies do: `study --cluster`)%n");
        out.printf("machine: %s %s, %d processors, max heap %,d MiB, Java %s%n", System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / 1048576, System.getProperty("java.version"));
        return FedLoDrop.EXIT_OK;
    }

    private Row measure(int devices, int dispatcherThreads) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fedlodrop-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        try (ScratchDirectory scratch = new ScratchDirectory("fedlodrop-bench-scale")) {
            long start = System.nanoTime();
            LoadedScenario scenario = ScenarioLoader.parse("bench.yaml",
                    ScenarioWriter.yaml(Scenario.defaults()).getBytes(StandardCharsets.UTF_8),
                    List.of("name=bench-scale", "devices.count=" + devices, "rounds=" + rounds,
                            "network.bandwidth_hz=" + devices * 1e6));
            RunSetup setup = RunSetup.of(scenario);
            double setupS = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            Simulation.Outcome outcome = Simulation.run(setup, Planners.of(setup), scratch.path(), dispatcherThreads,
                    RunProgress.NONE);
            double runS = (System.nanoTime() - start) / 1e9;
            return new Row(devices, outcome.events(), setupS, runS, peak.get(), size(scratch.path()));
        } finally {
            sampler.interrupt();
            sampler.join();
        }
    }

    private static long size(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
