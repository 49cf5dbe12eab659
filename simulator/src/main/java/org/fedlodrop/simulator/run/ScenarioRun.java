package org.fedlodrop.simulator.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fedlodrop.reports.html.RunReport;
import org.fedlodrop.reports.io.AtomicFiles;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunLock;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.reports.records.RunManifest;
import org.fedlodrop.simulator.actors.RunProgress;
import org.fedlodrop.simulator.actors.RunSetup;
import org.fedlodrop.simulator.actors.Simulation;
import org.fedlodrop.models.train.TrainingEngine;
import org.fedlodrop.simulator.scenario.EnumLabels;
import org.fedlodrop.simulator.reference.ReferenceRun;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.ReferenceArm;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.scenario.ScenarioWriter;

/**
 * One run of a scenario into a run directory: the resolved {@code scenario.yaml} and a
 * {@code manifest.json} marked {@code running} first, then the simulation, then the manifest marked
 * {@code complete} or {@code failed}.
 */
public final class ScenarioRun {
    private ScenarioRun() {
    }

    /** Makes sure {@code directory} can take a new run without overwriting anything. */
    public static void prepareDirectory(Path directory) throws UserInputException {
        try {
            if (Files.exists(directory)) {
                if (!Files.isDirectory(directory)) {
                    throw new UserInputException("--out " + directory + ": exists and is not a directory");
                }
                try (Stream<Path> entries = Files.list(directory)) {
                    if (entries.findAny().isPresent()) {
                        throw new UserInputException("--out " + directory
                                + ": the directory is not empty; choose a new one so that no earlier results are overwritten");
                    }
                }
            }
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UserInputException("--out " + directory + ": cannot create the directory (" + e.getMessage() + ")");
        }
    }

    public static Simulation.Outcome execute(LoadedScenario loaded, Path directory, int threads, RunProgress progress)
            throws IOException, Simulation.RunFailedException, InterruptedException {
        return execute(loaded, directory, threads, progress, Simulation.Host.local(threads));
    }

    /** As above, in the given host (a cluster member with sharded devices, say). */
    public static Simulation.Outcome execute(LoadedScenario loaded, Path directory, int threads, RunProgress progress,
                                             Simulation.Host host)
            throws IOException, Simulation.RunFailedException, InterruptedException {
        Scenario scenario = loaded.scenario();
        String resolved = ScenarioWriter.yaml(scenario);
        AtomicFiles.write(directory.resolve(RunFiles.SCENARIO), resolved.getBytes(StandardCharsets.UTF_8));

        BuildInfo build = BuildInfo.current();
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put(loaded.source(), loaded.sourceSha256());
        inputs.put(RunFiles.SCENARIO, LoadedScenario.sha256(resolved.getBytes(StandardCharsets.UTF_8)));
        // Data files the scenario names: what was learnt from, and from which base.
        List<String> dataFiles = new ArrayList<>();
        if (scenario.channel().traced()) {
            // Read only with fading: trace (a trace_file named beside another fading is never opened).
            dataFiles.add(scenario.channel().traceFile());
        }
        if (!scenario.devices().traceFile().isBlank()) {
            dataFiles.add(scenario.devices().traceFile());
        }
        if (loaded.text().isPresent()) {
            // The files actually read: a corpus's from the cache, whatever the scenario names.
            dataFiles.add(loaded.text().get().trainFile().toString());
            dataFiles.add(loaded.text().get().testFile().toString());
            if (!scenario.model().checkpoint().isBlank() && loaded.text().get().bert().isEmpty()) {
                dataFiles.add(scenario.model().checkpoint());
            }
        }
        for (String file : dataFiles) {
            inputs.put(file, LoadedScenario.sha256(java.nio.file.Files.readAllBytes(Path.of(file))));
        }
        loaded.text().flatMap(text -> text.bert()).ifPresent(bert -> {
            // The encoder: a built-in model by name and the digest of its tokenizer, or the ONNX export's path.
            inputs.put("model.checkpoint " + bert.name() + " tokenizer.json", LoadedScenario.sha256(bert.tokenizer()));
        });
        Instant started = Instant.now();
        // Held while the run runs: a manifest that says running beside a free lock is a run that died (RunState).
        try (RunLock lock = RunLock.take(directory)) {
            RunManifest manifest = new RunManifest("fedlodrop", build.version(), build.gitCommit(), build.gitDirty(),
                    scenario.name(), loaded.source(), scenario.seed(), backend(loaded), inputs,
                    System.getProperty("java.version"), threads, started.toString(), null, null, "running", null);
            writeManifest(directory, manifest);
            try {
                Simulation.Outcome outcome;
                if (scenario.training().arm() != ReferenceArm.FEDERATED) {
                    outcome = new Simulation.Outcome(ReferenceRun.run(loaded, directory, progress), 0, 0);
                } else {
                    RunSetup setup = RunSetup.of(loaded);
                    AtomicFiles.write(directory.resolve(RunFiles.TOPOLOGY),
                            RunFormats.jsonDocument().writeValueAsBytes(setup.topologyRecord()));
                    outcome = Simulation.run(setup, Planners.of(setup), directory, threads, progress,
                            org.fedlodrop.simulator.actors.Clock.Trace.NONE, host);
                }
                RunReport.write(directory, new RunReport.Budgets(scenario.budgets().latencyS(), scenario.budgets().energyJ()), 0);
                writeManifest(directory, manifest.finished(Instant.now().toString(), seconds(started), "complete", null));
                return outcome;
            } catch (Simulation.RunFailedException | RuntimeException | IOException e) {
                writeManifest(directory, manifest.finished(Instant.now().toString(), seconds(started), "failed", e.getMessage()));
                throw e;
            }
        }
    }

    /**
     * What computed the run: the learning backend and its BLAS, and the CPU. Learning numbers are
     * byte-identical only on the same CPU type and BLAS (kernels round differently per instruction
     * set); cost-only runs everywhere.
     */
    private static String backend(LoadedScenario loaded) {
        Scenario scenario = loaded.scenario();
        String cpu = "CPU " + cpuModel();
        if (scenario.training().arm() == ReferenceArm.BAG_OF_WORDS) {
            return "Tribuo " + org.tribuo.Tribuo.VERSION + " (TF-IDF, LIBLINEAR logistic regression); " + cpu;
        }
        return switch (scenario.data().workload()) {
            case NONE -> "none (cost-only workload: no learning); " + cpu;
            case SYNTHETIC, TEXT_CLASSIFICATION -> "training engine " + EnumLabels.label(engine(loaded))
                    + (scenario.training().engine() == TrainingEngine.AUTO ? " (auto)" : "") + "; nd4j "
                    + org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName()
                    + ", BLAS " + org.nd4j.linalg.factory.Nd4j.factory().blas().getBlasVendor() + coreType() + "; " + cpu;
        };
    }

    /** The engine local training runs on, as {@link TrainingEngine#resolve} decides it for the scenario's model. */
    static TrainingEngine engine(LoadedScenario loaded) {
        String family = EnumLabels.label(loaded.scenario().model().family());
        return loaded.scenario().training().engine().resolve(family, org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }

    /**
     * Which OpenBLAS library the process mapped (the bundled one or the machine's, FEDLODROP_BLAS) and
     * its kernel when one was forced (OPENBLAS_CORETYPE): both change how products round.
     */
    public static String coreType() {
        StringBuilder text = new StringBuilder();
        try {
            java.nio.file.Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .filter(file -> file.contains("libopenblas") && !file.contains("libjni")).distinct().limit(1)
                    .forEach(file -> text.append(' ').append(file));
        } catch (IOException | RuntimeException e) {
            // not Linux: the vendor alone
        }
        String core = System.getenv("OPENBLAS_CORETYPE");
        if (core != null && !core.isBlank()) {
            text.append(" (OPENBLAS_CORETYPE=").append(core.strip()).append(')');
        }
        return text.toString();
    }

    /** The processor's model name and whether it has AVX-512 (Linux's /proc/cpuinfo), else the architecture. */
    private static String cpuModel() {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = lines.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(System.getProperty("os.arch"));
            boolean avx512 = lines.stream().anyMatch(l -> l.startsWith("flags") && l.contains(" avx512f"));
            return model + (avx512 ? " (AVX-512)" : "");
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }

    private static double seconds(Instant started) {
        return Duration.between(started, Instant.now()).toNanos() / 1e9;
    }

    private static void writeManifest(Path directory, RunManifest manifest) throws IOException {
        AtomicFiles.write(directory.resolve(RunFiles.MANIFEST), RunFormats.jsonDocument().writeValueAsBytes(manifest));
    }
}
