package org.fedlodrop.simulator.cli;

import org.fedlodrop.simulator.run.ScratchDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.fedlodrop.simulator.kernel.Clock;
import org.fedlodrop.simulator.actors.RunProgress;
import org.fedlodrop.simulator.setup.RunSetup;
import org.fedlodrop.simulator.actors.Simulation;
import org.fedlodrop.simulator.cluster.MemberAddress;
import org.fedlodrop.simulator.cluster.ShardedDevices;
import org.fedlodrop.simulator.cluster.WorkerNode;
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
                "1,000, 10,000 and 100,000 devices, 3 rounds, 1 MHz per device), and of a learning one (the",
                "synthetic workload, every device training; default 10 and 100 devices), on one member or more: set-up, run,",
                "events per second, the largest heap in use during the run, and the size of the files written.",
                "'placing' lasts until every device has registered with the clock (with several members: forming",
                "the cluster and starting the devices on it); 'run' is from the clock's first step to the end."})
final class ScaleBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--sizes", split = ",", defaultValue = "100,1000,10000,100000", paramLabel = "K,K,...",
            description = "Device counts (default ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--learning-sizes", split = ",", defaultValue = "10,100", paramLabel = "K,K,...",
            description = "Device counts of the learning rows (default ${DEFAULT-VALUE}; 0 skips them).")
    List<Integer> learningSizes;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--threads", description = "Dispatcher threads (default: the number of processors).")
    Integer threads;

    @Option(names = "--members", split = ",", defaultValue = "1", paramLabel = "M,M,...",
            description = {"Cluster members to spread the devices over, each a table (default ${DEFAULT-VALUE}).",
                    "Members beyond the first start in this JVM on 127.0.0.1 ports, so messages between them",
                    "are serialised and sent over TCP as between machines, but share this machine's cores and heap."})
    List<Integer> memberCounts;

    @Option(names = "--tls", description = {"With several members, talk mutual TLS (fresh cluster keys for the bench),",
            "as members on several machines must (issue 35): the cost of TLS beside the plain rows."})
    boolean tls;

    /** One row of a table. */
    record Row(int devices, long events, double setupS, double placingS, double runS, long peakHeapBytes, long fileBytes) {
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || sizes.stream().anyMatch(k -> k < 1 || k > 1_000_000)) {
            throw new UserInputException("--rounds must be at least 1 and every --sizes value from 1 to 1,000,000");
        }
        if (learningSizes.stream().anyMatch(k -> k < 0 || k > 100_000)) {
            throw new UserInputException("--learning-sizes: expected device counts from 1 to 100,000 (0 skips the learning rows)");
        }
        if (memberCounts.stream().anyMatch(m -> m < 1 || m > 16)) {
            throw new UserInputException("--members: expected counts from 1 to 16");
        }
        int dispatcherThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        PrintWriter out = spec.commandLine().getOut();
        out.printf("fedlodrop bench scale: quickstart scenario, %d rounds, 1 MHz per device, uniform planner,"
                + " %d dispatcher threads; cost-only rows, and 'learning' rows where every device trains the synthetic"
                + " workload%n", rounds, dispatcherThreads);
        int failed = 0;
        try (ScratchDirectory keyScratch = new ScratchDirectory("fedlodrop-bench-keys")) {
            // One cluster's keys for every row: making them runs keytool.
            java.util.Optional<org.fedlodrop.simulator.cluster.ClusterKeys> keys = tls
                    ? java.util.Optional.of(org.fedlodrop.simulator.cluster.ClusterKeys.make(keyScratch.path().resolve("keys")))
                    : java.util.Optional.empty();
            for (int members : memberCounts) {
                out.printf("%n%s%n%n", members == 1 ? "one member" : members + " members (devices sharded; one JVM, 127.0.0.1"
                        + (tls ? ", mutual TLS 1.3" : ", plain TCP") + ")");
                out.println("| devices | events | set-up s | placing s | run s | events/s | peak heap MiB | files MiB |");
                out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
                out.flush();
                for (int devices : sizes) {
                    failed += row(out, "", devices, () -> measure(devices, dispatcherThreads, members, false, keys));
                }
                for (int devices : learningSizes) {
                    if (devices > 0) {
                        failed += row(out, " learning", devices, () -> measure(devices, dispatcherThreads, members, true, keys));
                    }
                }
            }
        }
        out.printf("machine: %s %s, %d processors, max heap %,d MiB, Java %s%n", System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / 1048576, System.getProperty("java.version"));
        if (failed > 0) {
            spec.commandLine().getErr().printf("bench scale: %d of its runs failed (their rows say why)%n", failed);
            return FedLoDrop.EXIT_INTERNAL;
        }
        return FedLoDrop.EXIT_OK;
    }

    interface Measurement {
        Row run() throws Exception;
    }

    /**
     * One row; a run that fails (a member lost under load, say) gets a row that says why, and the table goes
     * on: it is a measurement of this machine, not a fault of fedlodrop's. Returns 1 if it failed.
     */
    static int row(PrintWriter out, String kind, int devices, Measurement measurement) throws Exception {
        try {
            print(out, kind, measurement.run());
            return 0;
        } catch (Simulation.RunFailedException e) {
            out.printf("| %,d%s | the run failed: %s | | | | | | |%n", devices, kind, e.getMessage());
            out.flush();
            return 1;
        }
    }

    private static void print(PrintWriter out, String kind, Row row) {
        out.printf("| %,d%s | %,d | %.2f | %.2f | %.2f | %,.0f | %,.0f | %.1f |%n", row.devices(), kind, row.events(),
                row.setupS(), row.placingS(), row.runS(), row.events() / row.runS(),
                row.peakHeapBytes() / 1048576.0, row.fileBytes() / 1048576.0);
        out.flush();
    }

    /** One run; {@code learning}: every device trains the synthetic workload's sub-adapters (java engine). */
    private Row measure(int devices, int dispatcherThreads, int members, boolean learning,
                        java.util.Optional<org.fedlodrop.simulator.cluster.ClusterKeys> keys) throws Exception {
        List<ActorSystem<Void>> others = new ArrayList<>();
        AtomicLong placed = new AtomicLong();
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
                    // masked-mean, as the committed figures were measured: exact folds W0 on the coordinator,
                    // which a learning run over several members cannot share.
                    learning ? List.of("name=bench-scale-learning", "devices.count=" + devices, "rounds=" + rounds,
                            "network.bandwidth_hz=" + devices * 1e6, "data.workload=synthetic",
                            "dropout.aggregation=masked-mean")
                            : List.of("name=bench-scale", "devices.count=" + devices, "rounds=" + rounds,
                            "network.bandwidth_hz=" + devices * 1e6, "dropout.aggregation=masked-mean"));
            RunSetup setup = RunSetup.of(scenario);
            double setupS = (System.nanoTime() - start) / 1e9;
            Simulation.Host host = Simulation.Host.local(dispatcherThreads);
            if (members > 1) {
                MemberAddress seed = new MemberAddress("127.0.0.1", freePort());
                for (int i = 1; i < members; i++) {
                    others.add(WorkerNode.start(new MemberAddress("127.0.0.1", 0), seed, 1, keys, refused -> { }));
                }
                host = ShardedDevices.host(scenario, seed, members, dispatcherThreads, placement -> { }, keys);
            }
            start = System.nanoTime();
            // The clock's first step comes once every device has registered: the split between placing and running.
            Clock.Trace clockStart = Clock.Trace.atStart(() -> placed.compareAndSet(0, System.nanoTime()));
            Simulation.Outcome outcome = Simulation.run(setup, Planners.of(setup), scratch.path(), dispatcherThreads,
                    RunProgress.NONE, clockStart, host);
            long end = System.nanoTime();
            // Forming the cluster and placing the devices is not part of the events' time.
            return new Row(devices, outcome.events(), setupS, (placed.get() - start) / 1e9, (end - placed.get()) / 1e9,
                    peak.get(), scratch.bytes());
        } finally {
            sampler.interrupt();
            sampler.join();
            for (ActorSystem<Void> member : others) {
                member.terminate();
                member.getWhenTerminated().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            others.clear();
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
