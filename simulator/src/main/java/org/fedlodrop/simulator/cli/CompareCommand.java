package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.fedlodrop.reports.study.StudyTables;
import org.fedlodrop.simulator.run.UserInputException;
import org.fedlodrop.simulator.scenario.EnumLabels;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.extension.ExtensionKind;
import org.fedlodrop.simulator.extension.Extensions;
import org.fedlodrop.simulator.scenario.ScenarioLoader;
import org.fedlodrop.simulator.scenario.Workload;
import org.fedlodrop.simulator.study.PairedDifferences;
import org.fedlodrop.simulator.study.StudyJournal;
import org.fedlodrop.simulator.study.RunRounds;
import org.fedlodrop.simulator.study.StudyRunner;
import org.fedlodrop.simulator.study.StudySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a scenario under each of several planners with the same seeds, in parallel workers (a",
                "study with planner.solver as its axis), print one table of outcomes, energy, test loss and",
                "accuracy (final and best) and mean γ, each as mean ± 95 %% interval over the seeds, and write",
                "the comparison's directory with results.csv, curves.csv and report.html (learning curves per planner)."})
final class CompareCommand implements Callable<Integer> {
    /** What a comparison tabulates: summary.json fields (learning ones are NaN for a cost-only scenario). */
    static final List<String> METRICS = List.of("participation", "missed_deadline", "refused_energy", "unserved",
            "total_energy_j", "final_test_loss", "final_test_accuracy", "best_test_loss", "best_test_accuracy",
            "run_mean_gamma");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "Scenario file.")
    Path scenario;

    @Option(names = "--planners", split = ",", paramLabel = "P,P,...",
            description = "planner.solver values to compare (default: psca,no-dropout,fixed,uniform,random).")
    List<String> planners = List.of("psca", "no-dropout", "fixed", "uniform", "random");

    @Option(names = "--arms", split = ",", paramLabel = "A,A,...",
            description = "Reference arms beside the planners, on the same data and seeds (learning scenarios only): "
                    + "frozen-head (the frozen model with only its classification head trained, under the first planner: "
                    + "what fine-tuning adds), centralised (the union of the devices' data trained in one place for the "
                    + "same passes, no radio: the upper line), bag-of-words (TF-IDF and logistic regression on the union "
                    + "of the devices' texts; text workloads). The table tells them by training.arm and training.train_lora.")
    List<String> arms = new ArrayList<>();

    /** What the paired table sets the first planner against the other rows on, and which way is better. */
    static final List<PairedDifferences.Metric> PAIRED = List.of(
            new PairedDifferences.Metric("participation", PairedDifferences.Better.HIGHER),
            new PairedDifferences.Metric("total_energy_j", PairedDifferences.Better.LOWER),
            new PairedDifferences.Metric("final_test_loss", PairedDifferences.Better.LOWER),
            new PairedDifferences.Metric("final_test_accuracy", PairedDifferences.Better.HIGHER));

    /** The reference arms compare can run. */
    static final List<String> ARMS = List.of("frozen-head", "centralised", "bag-of-words");

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds 1..N for every planner (default ${DEFAULT-VALUE}).")
    int seeds = 3;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a scenario field for every run.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Comparison directory (default: runs/compare-NAME-DATE-TIME).")
    Path out;

    @Option(names = "--workers", paramLabel = "N", description = "Runs at once (default: the number of processors).")
    Integer workers;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @picocli.CommandLine.Mixin
    RunThreadsOption threads = new RunThreadsOption();

    @picocli.CommandLine.Mixin
    PluginOption plugins = new PluginOption();

    @Override
    public Integer call() throws Exception {
        Extensions extensions = plugins.load();
        List<String> known = extensions.types(ExtensionKind.PLANNER);
        if (planners.isEmpty()) {
            throw new UserInputException("--planners: expected at least one of " + String.join(", ", known));
        }
        for (String planner : planners) {
            if (!known.contains(planner)) {
                throw new UserInputException("--planners " + planner + ": expected one of " + String.join(", ", known)
                        + (extensions.jars().isEmpty() ? " (plugins add more: --plugins DIR)" : ""));
            }
        }
        if (seeds < 1 || seeds > 1000) {
            throw new UserInputException("--seeds " + seeds + ": expected an integer from 1 to 1000");
        }
        int parallel = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        if (parallel < 1 || parallel > 256) {
            throw new UserInputException("--workers " + parallel + ": expected 1 to 256");
        }
        int threadsPerRun = threads.perRun(parallel);
        for (String arm : arms) {
            if (!ARMS.contains(arm)) {
                throw new UserInputException("--arms " + arm + ": expected one of " + String.join(", ", ARMS));
            }
        }
        // The scenario and overrides are checked before anything runs (and every point again by the study).
        LoadedScenario loaded = ScenarioLoader.load(scenario, overrides, extensions);
        if (!arms.isEmpty() && loaded.scenario().data().workload() == Workload.NONE) {
            throw new UserInputException("--arms " + String.join(",", arms) + ": " + scenario
                    + " has data.workload none; the reference arms compare learning (set data.workload)");
        }
        if (arms.contains("bag-of-words") && loaded.scenario().data().workload() != Workload.TEXT_CLASSIFICATION) {
            throw new UserInputException("--arms bag-of-words: " + scenario + " has data.workload "
                    + EnumLabels.label(loaded.scenario().data().workload())
                    + "; bag-of-words needs texts (data.workload text-classification)");
        }
        String name = "compare-" + loaded.scenario().name();
        Path directory = out != null ? out : Path.of(loaded.scenario().output().dir()).resolve(name + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(directory)) {
            try (Stream<Path> entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new UserInputException("--out " + directory + ": the directory is not empty; choose a new one");
                }
            }
        }
        List<StudySpec.Point> points = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        String trainLora = Boolean.toString(loaded.scenario().training().trainLora());
        for (String planner : planners) {
            points.add(point(points.size(), planner, arms.isEmpty() ? null : trainLora, "federated"));
            labels.add(planner);
        }
        for (String arm : arms) {
            // frozen-head: the first planner's plans, only the head trains; the others train without the network.
            points.add(arm.equals("frozen-head") ? point(points.size(), planners.get(0), "false", "federated")
                    : point(points.size(), planners.get(0), trainLora, arm));
            labels.add(arm);
        }
        List<Long> seedList = LongStream.rangeClosed(1, seeds).boxed().toList();
        StudySpec study = new StudySpec(name, scenario.toAbsolutePath().normalize(), points, seedList, METRICS,
                List.of("test_loss", "test_accuracy", "devices_aggregated"));
        PrintWriter err = spec.commandLine().getErr();
        int total = points.size() * seeds;
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        Path results = new StudyRunner(study, directory, extensions).run(parallel, threadsPerRun, entry -> {
            if (!quiet) {
                synchronized (err) {
                    err.printf("run %d/%d done: %s, seed %d%n", done.incrementAndGet(), total,
                            labels.get(entry.point()), entry.seed());
                    err.flush();
                }
            }
        }, resumed -> { }, quiet ? RunRounds.NONE : new StudyRoundsLog(err, StudyRoundsLog.EVERY, System::nanoTime));
        PrintWriter outWriter = spec.commandLine().getOut();
        outWriter.printf("compare %s: %d planners%s × %d seeds (mean ± 95 %% interval over seeds)%n%n",
                loaded.scenario().name(), planners.size(), arms.isEmpty() ? "" : " and " + String.join(", ", arms),
                seeds);
        TableCommand.print(StudyTables.read(results), null, outWriter);
        if (labels.size() > 1) {
            List<Integer> others = java.util.stream.IntStream.range(1, labels.size()).boxed().toList();
            List<PairedDifferences.Row> paired = PairedDifferences.of(new StudyJournal(directory).read().values(), 0,
                    others, PAIRED);
            PairedDifferences.write(directory.resolve(PairedDifferences.FILE), paired, 0, labels);
            printPaired(outWriter, paired, labels);
            if (seeds < 6) {
                // 2 / 2^N is the least p of N seeds: below 0.05 only from six.
                outWriter.printf("%nwith %d seeds no sign-flip p can fall below %s; --seeds 6 or more for p under 0.05%n",
                        seeds, TableCommand.significant(2 / Math.pow(2, seeds), 3));
            }
        }
        if (!arms.isEmpty()) {
            outWriter.printf("%nreference arms: the rows with training.arm other than federated, or training.train_lora"
                    + " false (%s); dashed in the report's plots%n", String.join(", ", arms));
        }
        outWriter.printf("%nresults: %s; learning curves and plots: %s%n", results, directory.resolve("report.html"));
        return FedLoDrop.EXIT_OK;
    }

    /**
     * The first planner against every other row, paired over seeds: each seed draws the same data, fleet and
     * channel for all of them, so the differences are free of what the seed draws.
     */
    static void printPaired(PrintWriter out, List<PairedDifferences.Row> rows, List<String> labels) {
        Map<Integer, String> byPoint = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            byPoint.put(i, labels.get(i));
        }
        PairedTable.print(out, rows, labels.get(0), byPoint, PAIRED.stream().map(PairedDifferences.Metric::name).toList());
    }

    /**
     * A point of the comparison: the planner, and when arms are compared whether LoRA trains and the arm; then the
     * overrides.
     */
    private StudySpec.Point point(int index, String planner, String trainLora, String arm) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("planner.solver", planner);
        if (trainLora != null) {
            values.put("training.train_lora", trainLora);
            values.put("training.arm", arm);
        }
        for (String override : overrides) {
            int eq = override.indexOf('=');
            values.put(override.substring(0, eq).trim(), override.substring(eq + 1));
        }
        return new StudySpec.Point(index, values);
    }
}
