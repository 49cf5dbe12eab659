package org.fedlodrop.simulator.study;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.fedlodrop.reports.html.StudyReport;
import org.fedlodrop.reports.io.DirectoryTrees;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.records.RunSummary;
import org.fedlodrop.reports.study.JournalEntry;
import org.fedlodrop.reports.study.StudyTables;
import org.fedlodrop.simulator.actors.RunProgress;
import org.fedlodrop.simulator.run.ScenarioRun;
import org.fedlodrop.simulator.run.UserInputException;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.ScenarioException;
import org.fedlodrop.simulator.scenario.ScenarioLoader;
import org.fedlodrop.simulator.extension.Extensions;

/**
 * Schedules a study: every (point, seed) as its own run directory, in parallel workers; each
 * finished run goes to the {@link StudyJournal}, and a run that was cut off is started again from
 * scratch. A point's scenario is loaded when its run starts, so a study holds no more scenarios
 * (and their data) in memory than it has runs in flight. {@link StudyTabulation} then writes
 * results.csv and curves.csv, and {@link StudyReport} the study's report.html.
 */
public final class StudyRunner {
    public static final String RESULTS = StudyReport.RESULTS;
    public static final String CURVES = StudyReport.CURVES;

    private final StudySpec spec;
    private final Path out;
    private final StudyJournal journal;
    private final Extensions extensions;

    public StudyRunner(StudySpec spec, Path out) {
        this(spec, out, Extensions.builtIn());
    }

    /** @param extensions the built-ins and plugins every point's scenario is loaded against */
    public StudyRunner(StudySpec spec, Path out, Extensions extensions) {
        this.spec = spec;
        this.out = out;
        this.journal = new StudyJournal(out);
        this.extensions = extensions;
    }

    /**
     * Checks the metric names and every point's scenario before anything runs. Each point is loaded
     * once (seeds change nothing a check could find) and let go.
     */
    public void validate() throws ScenarioException, UserInputException {
        List<String> known = new ArrayList<>();
        known.addAll(Arrays.asList(RunSummary.class.getAnnotation(JsonPropertyOrder.class).value()));
        known.addAll(Arrays.asList(RoundRecord.class.getAnnotation(JsonPropertyOrder.class).value()));
        for (String metric : spec.metrics()) {
            if (!known.contains(metric)) {
                throw new UserInputException("metrics: '" + metric + "' is neither a summary.json field nor a rounds.csv"
                        + " column; expected one of " + String.join(", ", known));
            }
        }
        List<String> columns = Arrays.asList(RoundRecord.class.getAnnotation(JsonPropertyOrder.class).value());
        for (String curve : spec.curves()) {
            if (!columns.contains(curve)) {
                throw new UserInputException("curves: '" + curve + "' is not a rounds.csv column; expected one of "
                        + String.join(", ", columns));
            }
        }
        for (StudySpec.Point point : spec.points()) {
            new PendingRun(point.index(), spec.seeds().get(0), spec.base(), point.overrides(), extensions).load();
        }
    }

    /**
     * The plugins' extensions the study's points name (each point loaded once, with its first seed): a study on
     * a cluster refuses them, since members load scenarios with fedlodrop's own extensions only.
     */
    public List<String> pluginsNamed() throws ScenarioException {
        java.util.Set<String> named = new java.util.TreeSet<>();
        for (StudySpec.Point point : spec.points()) {
            LoadedScenario loaded = new PendingRun(point.index(), spec.seeds().get(0), spec.base(), point.overrides(),
                    extensions).load();
            org.fedlodrop.simulator.scenario.ExtensionSpec.plugins(loaded.scenario(), extensions)
                    .forEach(r -> named.add(org.fedlodrop.simulator.extension.ExtensionFailure.name(r)));
        }
        return List.copyOf(named);
    }

    public static String directoryName(int point, long seed) {
        return new JournalEntry(point, seed, java.util.Map.of()).directoryName();
    }

    /** A run the journal does not hold yet: its point, seed and how to load its scenario. */
    public record PendingRun(int point, long seed, Path base, List<String> overrides, Extensions extensions) {
        public PendingRun {
            overrides = List.copyOf(overrides);
        }

        public String directoryName() {
            return StudyRunner.directoryName(point, seed);
        }

        /** The point's scenario with this seed, loaded now. */
        public LoadedScenario load() throws ScenarioException {
            List<String> all = new ArrayList<>(overrides);
            all.add("seed=" + seed);
            return ScenarioLoader.load(base, all, extensions);
        }
    }

    /** Checks the study, creates its directory, and lists the runs its journal does not hold, in point and seed order. */
    public List<PendingRun> pending() throws Exception {
        validate();
        Files.createDirectories(out);
        Map<String, JournalEntry> done = journal.read();
        List<PendingRun> pending = new ArrayList<>();
        for (StudySpec.Point point : spec.points()) {
            for (long seed : spec.seeds()) {
                if (!done.containsKey(directoryName(point.index(), seed))) {
                    pending.add(new PendingRun(point.index(), seed, spec.base(), point.overrides(), extensions));
                }
            }
        }
        return pending;
    }

    /**
     * Runs what the journal does not hold yet with {@code workers} in parallel; {@code finished}
     * hears of each finished run. Returns the path of results.csv.
     */
    public Path run(int workers, Consumer<JournalEntry> finished) throws Exception {
        return run(workers, finished, resumed -> { });
    }

    /**
     * As {@link #run(int, Consumer)}; a run that an earlier, killed attempt left with a whole checkpoint goes on
     * from it ({@code run --resume}) instead of starting again, and {@code resumed} hears of it.
     */
    public Path run(int workers, Consumer<JournalEntry> finished, Consumer<String> resumed) throws Exception {
        return run(workers, 1, finished, resumed, RunRounds.NONE);
    }

    /**
     * As {@link #run(int, Consumer, Consumer)}, each run on {@code threadsPerRun} dispatcher threads (a study of
     * fewer runs at once than the machine has cores lends each run the rest; a run's files are the same bytes on
     * any number of threads), and {@code rounds} hears of every round of every run as it ends.
     */
    public Path run(int workers, int threadsPerRun, Consumer<JournalEntry> finished, Consumer<String> resumed,
                    RunRounds rounds) throws Exception {
        List<PendingRun> pending = pending();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (PendingRun run : pending) {
                futures.add(pool.submit(() -> {
                    LoadedScenario loaded = run.load();
                    int total = ScenarioRun.roundRows(loaded.scenario());
                    RunProgress progress = round -> rounds.roundFinished(run.directoryName(), total, round);
                    Optional<ScenarioRun.Resumable> unfinished = unfinished(run, loaded);
                    if (unfinished.isPresent()) {
                        resumed.accept(run.directoryName() + " from round " + unfinished.get().fromRound());
                        ScenarioRun.resume(unfinished.get(), threadsPerRun, progress);
                    } else {
                        ScenarioRun.execute(loaded, freshRunDirectory(run.point(), run.seed()), threadsPerRun, progress);
                    }
                    finished.accept(journal(run.point(), run.seed()));
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return finish();
    }

    /** results.csv, curves.csv and report.html from the journal and the runs; returns the path of results.csv. */
    public Path finish() throws IOException {
        Path results = writeResults();
        if (!spec.curves().isEmpty()) {
            StudyTables.write(out.resolve(CURVES), StudyTabulation.curves(spec, this));
        }
        StudyReport.write(out, spec.name());
        return results;
    }

    /** Finished runs by directory name. */
    public Map<String, JournalEntry> readJournal() throws IOException {
        return journal.read();
    }

    /**
     * The run a killed attempt left in the run's directory, if it has a whole checkpoint and is the very run
     * asked for now (same resolved scenario, build and data); else nothing, and the run starts afresh.
     */
    private Optional<ScenarioRun.Resumable> unfinished(PendingRun run, LoadedScenario loaded) {
        Path directory = directory(run.point(), run.seed());
        if (!Files.isRegularFile(directory.resolve(org.fedlodrop.reports.io.RunFiles.MANIFEST))) {
            return Optional.empty();
        }
        try {
            ScenarioRun.Resumable found = ScenarioRun.resumable(directory, extensions);
            String asked = LoadedScenario.sha256(org.fedlodrop.simulator.scenario.ScenarioWriter.yaml(loaded.scenario())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            boolean same = asked.equals(found.manifest().inputSha256().get(org.fedlodrop.reports.io.RunFiles.SCENARIO));
            return same && found.found().resume().isPresent() ? Optional.of(found) : Optional.empty();
        } catch (UserInputException | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Where a run's files go. */
    public Path directory(int point, long seed) {
        return out.resolve(directoryName(point, seed));
    }

    /** The empty directory of a run, after removing what a killed or abandoned attempt left there. */
    public Path freshRunDirectory(int point, long seed) throws IOException {
        Path directory = directory(point, seed);
        DirectoryTrees.delete(directory);
        Files.createDirectories(directory);
        return directory;
    }

    /**
     * Reads a finished run's metrics from its directory and appends them to the journal: the run now counts as done.
     * results.csv is then written again from the journal, so that a long study can be read (fedlodrop table) while it
     * runs or after it was killed, each point with the runs it has so far.
     */
    public JournalEntry journal(int point, long seed) throws IOException {
        JournalEntry entry = new JournalEntry(point, seed,
                StudyTabulation.metricsOf(directory(point, seed), spec.metrics()));
        journal.append(entry);
        writeResults();
        return entry;
    }

    /** results.csv from the journal as it stands (written whole and renamed into place). */
    private synchronized Path writeResults() throws IOException {
        Path results = out.resolve(RESULTS);
        StudyTables.write(results, StudyTabulation.results(spec, journal.read()));
        return results;
    }
}
