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
import java.util.Optional;
import org.fedlodrop.simulator.resume.Checkpoints;
import org.fedlodrop.simulator.resume.Resume;
import java.util.stream.Stream;
import org.fedlodrop.reports.html.RunReport;
import org.fedlodrop.reports.io.AtomicFiles;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunLock;
import org.fedlodrop.reports.io.RunState;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.reports.records.RunManifest;
import org.fedlodrop.simulator.actors.RunProgress;
import org.fedlodrop.simulator.setup.RunSetup;
import org.fedlodrop.simulator.actors.Simulation;
import org.fedlodrop.models.train.TrainingEngine;
import org.fedlodrop.simulator.scenario.EnumLabels;
import org.fedlodrop.simulator.scenario.ExtensionSpec;
import org.fedlodrop.simulator.extension.ExtensionKind;
import org.fedlodrop.models.family.ModelFamily;
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
                        RunState.Status earlier = RunState.of(directory).status();
                        boolean unfinished = earlier == RunState.Status.INTERRUPTED || earlier == RunState.Status.FAILED;
                        throw new UserInputException("--out " + directory
                                + ": the directory is not empty; choose a new one so that no earlier results are overwritten"
                                + (unfinished ? " (it holds an unfinished run: fedlodrop run --resume " + directory
                                        + " goes on with it)" : ""));
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
        inputs.putAll(dataInputs(loaded));
        Instant started = Instant.now();
        // Held while the run runs: a manifest that says running beside a free lock is a run that died (RunState).
        try (RunLock lock = RunLock.take(directory)) {
            RunManifest manifest = new RunManifest("fedlodrop", build.version(), build.gitCommit(), build.gitDirty(),
                    scenario.name(), loaded.source(), scenario.seed(), backend(loaded), inputs,
                    System.getProperty("java.version"), threads, started.toString(), null, null, "running", null, null, List.of());
            return simulate(loaded, directory, threads, progress, host, manifest, started, Optional.empty());
        }
    }

    /** The digests of the data files a scenario reads, by the name the manifest gives them. */
    private static Map<String, String> dataInputs(LoadedScenario loaded) throws IOException {
        Scenario scenario = loaded.scenario();
        Map<String, String> inputs = new LinkedHashMap<>();
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
        }
        loaded.family().ifPresent(family -> family.dataFiles().forEach(file -> dataFiles.add(file.toString())));
        for (String file : dataFiles) {
            inputs.put(file, LoadedScenario.sha256(java.nio.file.Files.readAllBytes(Path.of(file))));
        }
        loaded.family().ifPresent(family -> family.otherInputs().forEach((name, bytes) ->
                inputs.put(name, LoadedScenario.sha256(bytes))));
        return inputs;
    }

    /** Runs the simulation under the lock the caller holds, from the start or from a checkpoint, and ends the manifest. */
    private static Simulation.Outcome simulate(LoadedScenario loaded, Path directory, int threads, RunProgress progress,
                                               Simulation.Host host, RunManifest manifest, Instant started,
                                               Optional<Resume> resume)
            throws IOException, Simulation.RunFailedException, InterruptedException {
        Scenario scenario = loaded.scenario();
        writeManifest(directory, manifest);
        try {
            Simulation.Outcome outcome;
            if (scenario.training().arm() != ReferenceArm.FEDERATED) {
                outcome = new Simulation.Outcome(ReferenceRun.run(loaded, directory, progress), 0, 0);
            } else {
                RunSetup setup = RunSetup.of(loaded);
                if (resume.isPresent()) {
                    setup = setup.resumedFrom(resume.get());
                }
                AtomicFiles.write(directory.resolve(RunFiles.TOPOLOGY),
                        RunFormats.jsonDocument().writeValueAsBytes(setup.topologyRecord()));
                outcome = Simulation.run(setup, Planners.of(setup), directory, threads, progress,
                        org.fedlodrop.simulator.kernel.Clock.Trace.NONE, host);
            }
            RunReport.write(directory, new RunReport.Budgets(scenario.budgets().latencyS(), scenario.budgets().energyJ()), 0);
            // The final model is model.safetensors: nothing is left to resume.
            Checkpoints.removeAll(directory);
            RunManifest finished = manifest.finished(Instant.now().toString(), seconds(started), "complete", null);
            if (outcome.checkpoints().written() > 0) {
                finished = finished.withCheckpoints(new RunManifest.Checkpointing(outcome.checkpoints().written(),
                        outcome.checkpoints().seconds(), outcome.checkpoints().pausedS()));
            }
            writeManifest(directory, finished);
            return outcome;
        } catch (Simulation.RunFailedException | RuntimeException | IOException e) {
            writeManifest(directory, manifest.finished(Instant.now().toString(), seconds(started), "failed", e.getMessage()));
            throw e;
        }
    }

    /**
     * A run directory checked for resuming: its scenario loaded, its manifest, and the checkpoint to go on from
     * (none: the run starts again from round 0), with what was passed over.
     */
    public record Resumable(Path directory, LoadedScenario loaded, RunManifest manifest, Checkpoints.Found found) {
        /** The first round the resumed run computes. */
        public int fromRound() {
            return found.resume().map(Resume::round).orElse(0);
        }
    }

    /**
     * Checks that {@code directory} holds a run that can be resumed, as it was: interrupted or failed, written by
     * this build, its scenario and data files unchanged, with a whole checkpoint if it has any. Every refusal
     * names the file and what is wrong.
     */
    public static Resumable resumable(Path directory, org.fedlodrop.simulator.extension.Extensions extensions)
            throws UserInputException, IOException {
        Path manifestFile = directory.resolve(RunFiles.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new UserInputException("--resume " + directory + ": no " + RunFiles.MANIFEST + " there; expected a run"
                    + " directory written by fedlodrop run");
        }
        RunState state = RunState.of(directory);
        switch (state.status()) {
            case COMPLETE -> throw new UserInputException("--resume " + directory + ": the run is complete; nothing to resume");
            case RUNNING -> throw new UserInputException("--resume " + directory + ": the run is still running (a live"
                    + " process holds its " + RunFiles.LOCK + ")");
            case UNKNOWN -> throw new UserInputException(manifestFile + ": status: expected running, failed or complete");
            default -> {
            }
        }
        RunManifest manifest;
        try {
            manifest = RunFormats.jsonDocument().readValue(manifestFile.toFile(), RunManifest.class);
        } catch (IOException e) {
            throw new UserInputException(manifestFile + ": not a run's manifest (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        BuildInfo build = BuildInfo.current();
        if (!java.util.Objects.equals(manifest.version(), build.version())
                || !java.util.Objects.equals(manifest.gitCommit(), build.gitCommit())) {
            // Another build may compute other numbers: the resumed run would silently not be the run.
            throw new UserInputException(manifestFile + ": version: the run was written by fedlodrop " + manifest.version()
                    + " (" + manifest.gitCommit() + "), this is " + build.version() + " (" + build.gitCommit()
                    + "); resume it with the build that started it");
        }
        Path scenarioFile = directory.resolve(RunFiles.SCENARIO);
        LoadedScenario loaded;
        try {
            loaded = org.fedlodrop.simulator.scenario.ScenarioLoader.load(scenarioFile, List.of(), extensions);
        } catch (org.fedlodrop.simulator.scenario.ScenarioException e) {
            throw new UserInputException(e.getMessage());
        }
        String recorded = manifest.inputSha256().get(RunFiles.SCENARIO);
        if (!loaded.sourceSha256().equals(recorded)) {
            throw new UserInputException(scenarioFile + ": changed since the run started (its SHA-256 is not the"
                    + " manifest's input_sha256)");
        }
        for (Map.Entry<String, String> input : dataInputs(loaded).entrySet()) {
            if (!input.getValue().equals(manifest.inputSha256().get(input.getKey()))) {
                throw new UserInputException(manifestFile + ": input_sha256: " + input.getKey()
                        + " changed since the run started; resuming would not give the run");
            }
        }
        Checkpoints.Found found;
        try {
            found = loaded.scenario().training().arm() == ReferenceArm.FEDERATED
                    ? Checkpoints.newest(directory, loaded.scenario().devices().count())
                    : new Checkpoints.Found(Optional.empty(), List.of());
        } catch (Checkpoints.Unusable e) {
            throw new UserInputException(e.getMessage() + ". Remove " + directory.resolve(Checkpoints.DIRECTORY)
                    + " to run it again from round 0");
        }
        return new Resumable(directory, loaded, manifest, found);
    }

    /** Goes on with a {@link #resumable} run: the finished files are those of the run never interrupted. */
    public static Simulation.Outcome resume(Resumable run, int threads, RunProgress progress)
            throws IOException, Simulation.RunFailedException, InterruptedException, UserInputException {
        Instant started = Instant.now();
        try (RunLock lock = RunLock.take(run.directory())) {
            RunManifest manifest = run.manifest().resumed(new RunManifest.Resumed(started.toString(), threads,
                    run.fromRound(), run.found().resume().map(r -> run.directory().relativize(r.from()).toString()).orElse(null),
                    run.found().passedOver()));
            return simulate(run.loaded(), run.directory(), threads, progress, Simulation.Host.local(threads), manifest,
                    started, run.found().resume());
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
        String family = loaded.scenario().model().family();
        boolean dense = ExtensionSpec.registered(loaded.scenario(), ExtensionKind.MODEL_FAMILY, loaded.extensions())
                .extension() instanceof ModelFamily<?> f && f.denseTraining();
        return loaded.scenario().training().engine().resolve(dense, "no model of the " + family + " family");
    }

    /** The rows a run of this scenario writes to rounds.csv: one per round, or one for the bag-of-words arm, which fits once. */
    public static int roundRows(Scenario scenario) {
        return scenario.training().arm() == ReferenceArm.BAG_OF_WORDS ? 1 : scenario.rounds();
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
