package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.records.RunSummary;
import org.fedlodrop.simulator.actors.Simulation;
import org.fedlodrop.simulator.cluster.MemberAddress;
import org.fedlodrop.simulator.cluster.ShardedDevices;
import org.fedlodrop.simulator.extension.ExtensionFailure;
import org.fedlodrop.simulator.run.ScenarioRun;
import org.fedlodrop.simulator.run.UserInputException;
import org.fedlodrop.simulator.scenario.EnumLabels;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.ReferenceArm;
import org.fedlodrop.simulator.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a scenario headless and write its run directory.",
                "Without SCENARIO, runs the built-in default " + ScenarioArguments.DEFAULT_SCENARIO + "."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO",
            description = "Scenario file (YAML, or JSON by extension). Default: " + ScenarioArguments.DEFAULT_SCENARIO + ".")
    Path scenario;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Go on with an interrupted or failed run from its last whole checkpoint (output.checkpoint_every); "
                    + "the finished files are those of the run never interrupted. Takes the run's own scenario.yaml: "
                    + "no SCENARIO, --set, --seed or --out. See docs/checkpoints.md.")
    Path resume;

    @Mixin
    ScenarioArguments arguments;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory; must be new or empty. Default: OUTPUT_DIR/NAME-DATE-TIME from the scenario's output.dir.")
    Path out;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads of the actor dispatcher (results do not depend on it). Default: the number of processors.")
    Integer threads;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Option(names = "--cluster", paramLabel = "HOST:PORT",
            description = "Spread the devices over a Pekko Cluster (Cluster Sharding): listen at HOST:PORT as its "
                    + "seed member, wait for --members members in all (`fedlodrop worker --join HOST:PORT` on the "
                    + "others) and run. Each device trains on the member that hosts it; the files are a one-member run's. "
                    + "Learning runs need every member to reach the scenario's data files; dropout.aggregation: exact "
                    + "(W0 folded on the server) runs on one member only.")
    String cluster;

    @Mixin
    ClusterKeysOption clusterKeys = new ClusterKeysOption();

    @Option(names = "--members", paramLabel = "N", defaultValue = "2",
            description = "With --cluster: members to spread the devices over, this one included (default ${DEFAULT-VALUE}).")
    int members;

    @Override
    public Integer call() throws Exception {
        if (resume != null) {
            return resume();
        }
        LoadedScenario loaded = arguments.load(ScenarioArguments.resolve(
                scenario == null ? Path.of(ScenarioArguments.DEFAULT_SCENARIO) : scenario));
        int dispatcherThreads = dispatcherThreads();
        Simulation.Host host = cluster == null ? Simulation.Host.local(dispatcherThreads) : clusterHost(loaded, dispatcherThreads);
        Path directory = out != null ? out : defaultDirectory(loaded);
        ScenarioRun.prepareDirectory(directory);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (cluster != null && !quiet) {
            err.printf("%s: seed member at %s; waiting for %d members in all (fedlodrop worker --join %s)%n",
                    loaded.scenario().name(), cluster, members, cluster);
            err.flush();
        }
        Simulation.Outcome outcome;
        int rows = ScenarioRun.roundRows(loaded.scenario());
        try (ConsoleProgress progress = ConsoleProgress.start(loaded.scenario().name(), rows, err, quiet)) {
            outcome = ScenarioRun.execute(loaded, directory, dispatcherThreads, progress, host);
        } catch (Simulation.RunFailedException e) {
            return failed(err, directory, e);
        }
        printSummary(stdout, outcome.summary(), directory, loaded.scenario().training());
        return FedLoDrop.EXIT_OK;
    }

    /** {@code --threads}, or one per processor. */
    private int dispatcherThreads() throws UserInputException {
        int dispatcherThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (dispatcherThreads < 1 || dispatcherThreads > 1024) {
            throw new UserInputException("--threads " + dispatcherThreads + ": expected 1 to 1024");
        }
        return dispatcherThreads;
    }

    /** A run that failed: a plugin's mistake is the user's to fix (named, exit 2), anything else ours; the files kept. */
    private static int failed(PrintWriter err, Path directory, Simulation.RunFailedException e) {
        java.util.Optional<ExtensionFailure> plugin = ExtensionFailure.in(e);
        err.println("run failed: " + (plugin.isPresent() ? plugin.get().getMessage() : e.getMessage()));
        err.println("What was written so far is in " + directory + " (files ending in .part are incomplete).");
        return plugin.isPresent() ? FedLoDrop.EXIT_BAD_INPUT : FedLoDrop.EXIT_INTERNAL;
    }

    /** {@code --resume}: the run directory checked, then the run goes on from its checkpoint. */
    private Integer resume() throws Exception {
        if (scenario != null || out != null || cluster != null || !arguments.overrides.isEmpty() || arguments.seed != null) {
            throw new UserInputException("--resume " + resume + ": the run goes on with its own scenario.yaml and"
                    + " directory; leave out SCENARIO, --set, --seed, --out and --cluster");
        }
        int dispatcherThreads = dispatcherThreads();
        ScenarioRun.Resumable run = ScenarioRun.resumable(resume, arguments.plugins.load());
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (String passed : run.found().passedOver()) {
            err.println("passed over a checkpoint: " + passed);
        }
        err.println(run.found().resume()
                .map(r -> "resuming " + resume + " from round " + r.round() + " (" + r.from().getFileName() + ")")
                .orElse("resuming " + resume + ": it has no checkpoint, so it runs again from round 0"));
        err.flush();
        LoadedScenario loaded = run.loaded();
        int rows = ScenarioRun.roundRows(loaded.scenario());
        Simulation.Outcome outcome;
        try (ConsoleProgress progress = ConsoleProgress.start(loaded.scenario().name(), rows, err, quiet)) {
            outcome = ScenarioRun.resume(run, dispatcherThreads, progress);
        } catch (Simulation.RunFailedException e) {
            return failed(err, resume, e);
        }
        printSummary(stdout, outcome.summary(), resume, loaded.scenario().training());
        return FedLoDrop.EXIT_OK;
    }

    /** Devices sharded over the cluster; everything checked before the run directory is made. */
    private Simulation.Host clusterHost(LoadedScenario loaded, int dispatcherThreads) throws UserInputException {
        MemberAddress bind = MemberAddress.parse("--cluster", cluster);
        java.util.Optional<org.fedlodrop.simulator.cluster.ClusterKeys> keys = clusterKeys.keysFor("--cluster " + bind, bind);
        if (members < 1 || members > 1000) {
            throw new UserInputException("--members " + members + ": expected 1 to 1000");
        }
        if (loaded.scenario().training().arm() != ReferenceArm.FEDERATED) {
            throw new UserInputException("--cluster: training.arm " + EnumLabels.label(loaded.scenario().training().arm())
                    + " trains in one place, with no devices to spread over members; run it without --cluster");
        }
        List<String> named = org.fedlodrop.simulator.scenario.ExtensionSpec.plugins(loaded.scenario(), loaded.extensions())
                .stream().map(org.fedlodrop.simulator.extension.ExtensionFailure::name).toList();
        if (!named.isEmpty()) {
            throw new UserInputException("--cluster: the scenario names " + String.join(", ", named) + "; cluster members"
                    + " load scenarios with fedlodrop's own extensions only, so plugins run in one process: run it"
                    + " without --cluster");
        }
        if (ShardedDevices.foldsBaseOnServer(loaded.scenario())) {
            // Devices on other members train on their member's own base, which exact aggregation changes every round.
            throw new UserInputException("--cluster: dropout.aggregation: exact folds W0 on the server every round, and a"
                    + " device on another member trains on its own copy of the base; run it on one member, or choose"
                    + " masked-mean or zero-fill-mean");
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket(bind.port(), 50, java.net.InetAddress.getByName(bind.host()))) {
            probe.setReuseAddress(true);
        } catch (java.io.IOException e) {
            throw new UserInputException("--cluster " + bind + ": cannot listen there (" + e.getMessage() + ")");
        }
        PrintWriter err = spec.commandLine().getErr();
        return ShardedDevices.host(loaded, bind, members, dispatcherThreads, perMember -> {
            if (!quiet) {
                err.printf("devices per member: %s%n", perMember);
                err.flush();
            }
        }, keys);
    }

    private static Path defaultDirectory(LoadedScenario loaded) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path base = Path.of(loaded.scenario().output().dir()).resolve(loaded.scenario().name() + "-" + stamp);
        Path candidate = base;
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = base.resolveSibling(base.getFileName() + "-" + n);
        }
        return candidate;
    }

    /**
     * Whether the test loss fell from the first round to the last, from the run's rounds.csv: the line a reader
     * looks for first (a model that gets worse over the run overfits). Empty when there are fewer than two
     * rounds with a test loss.
     */
    static Optional<String> testLossTrend(Path directory) {
        try {
            List<RoundRecord> rounds = RunTables.readCsv(
                    directory.resolve(RunFiles.ROUNDS), RoundRecord.class);
            List<RoundRecord> measured = rounds.stream()
                    .filter(r -> Double.isFinite(r.testLoss())).toList();
            if (measured.size() < 2) {
                return Optional.empty();
            }
            RoundRecord first = measured.get(0);
            RoundRecord last = measured.get(measured.size() - 1);
            double change = last.testLoss() - first.testLoss();
            String verdict = change < 0 ? String.format("fell by %.1f %%", -100 * change / first.testLoss())
                    : String.format("rose by %.1f %%: the model got worse over the run", 100 * change / first.testLoss());
            RoundRecord lowest = measured.stream().min(Comparator.comparingDouble(
                    RoundRecord::testLoss)).orElseThrow();
            // More than 5 % above its lowest at the end: it learned, then overfitted (or diverged).
            String after = last.testLoss() > 1.05 * lowest.testLoss() ? String.format(
                    "; it ends %.1f %% above its lowest (round %d): the model got worse after round %d",
                    100 * (last.testLoss() / lowest.testLoss() - 1), lowest.round(), lowest.round()) : "";
            return Optional.of(String.format("  test loss from round %d to round %d: %.4f -> %.4f, %s%s",
                    first.round(), last.round(), first.testLoss(), last.testLoss(), verdict, after));
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty(); // the summary above says what matters; this line is a reading aid
        }
    }

    static void printSummary(PrintWriter out, RunSummary summary, Path directory, Scenario.Training training) {
        ReferenceArm arm = training.arm();
        // With training.evaluate_every above 1, "best" is the best of the rounds evaluated.
        String evaluated = training.evaluateEvery() > 1 ? String.format(" (evaluated every %d rounds and the last)",
                training.evaluateEvery()) : "";
        if (arm != ReferenceArm.FEDERATED) {
            out.printf("fedlodrop: %s (seed %d), reference arm %s (no radio): %d rounds%n", summary.scenario(),
                    summary.seed(), EnumLabels.label(arm), summary.rounds());
            out.printf("  learning: final test loss %.4f, accuracy %.4f; best test loss %.4f (round %d), best accuracy "
                    + "%.4f (round %d)%s%n", summary.finalTestLoss(), summary.finalTestAccuracy(), summary.bestTestLoss(),
                    summary.bestTestLossRound(), summary.bestTestAccuracy(), summary.bestTestAccuracyRound(), evaluated);
            out.printf("  run directory: %s%n", directory);
            return;
        }
        out.printf("fedlodrop: %s (seed %d): %d rounds, %d devices%n", summary.scenario(), summary.seed(),
                summary.rounds(), summary.devices());
        out.printf("  virtual time %.1f s, mean round latency %.2f s, energy %.1f J%n",
                summary.virtualTimeS(), summary.meanRoundLatencyS(), summary.totalEnergyJ());
        out.printf("  device-rounds %d: aggregated %d (%.1f%%), missed deadline %d, refused for energy %d, unserved %d%n",
                summary.deviceRounds(), summary.aggregated(), 100 * summary.participation(), summary.missedDeadline(),
                summary.refusedEnergy(), summary.unserved());
        if (summary.learning()) {
            out.printf("  learning: final test loss %.4f, accuracy %.4f; best test loss %.4f (round %d), best accuracy "
                    + "%.4f (round %d); mean γ %.3f%s%n", summary.finalTestLoss(), summary.finalTestAccuracy(),
                    summary.bestTestLoss(), summary.bestTestLossRound(), summary.bestTestAccuracy(),
                    summary.bestTestAccuracyRound(), summary.runMeanGamma(), evaluated);
            testLossTrend(directory).ifPresent(out::println);
        } else {
            out.printf("  mean γ %.3f%n", summary.runMeanGamma());
        }
        out.printf("  run directory: %s%n", directory);
    }
}
