package org.fedlodrop.simulator.study;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.fedlodrop.reports.html.StudyReport;
import org.fedlodrop.reports.io.AtomicFiles;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.records.RunSummary;
import org.fedlodrop.simulator.actors.RunProgress;
import org.fedlodrop.simulator.run.ScenarioRun;
import org.fedlodrop.simulator.run.UserInputException;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.ScenarioException;
import org.fedlodrop.simulator.scenario.ScenarioLoader;
import org.hipparchus.distribution.continuous.TDistribution;

/**
 * Runs a study: every (point, seed) as its own run directory, in parallel workers. A journal
 * ({@code journal.jsonl}) records each finished run with its metrics, appended and forced to disk,
 * so a study killed at any moment loses nothing finished and {@code --resume} skips it; a run that
 * was cut off is started again from scratch. {@code results.csv} is built from the journal in point
 * and seed order, so it is the same however the runs were ordered, interrupted or resumed; the
 * study's {@code report.html} plots it.
 */
public final class StudyRunner {
    public static final String JOURNAL = "journal.jsonl";
    public static final String RESULTS = "results.csv";
    public static final String CURVES = "curves.csv";

    /** A finished run as the journal records it. */
    @JsonPropertyOrder({"point", "seed", "metrics"})
    public record JournalEntry(int point, long seed, Map<String, Double> metrics) {
    }

    private final StudySpec spec;
    private final Path out;
    private final ObjectMapper json = RunFormats.jsonLines();

    public StudyRunner(StudySpec spec, Path out) {
        this.spec = spec;
        this.out = out;
    }

    /** Checks every point's scenario and the metric names before anything runs. */
    public List<LoadedScenario> validate() throws ScenarioException, UserInputException {
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
        List<LoadedScenario> scenarios = new ArrayList<>();
        for (StudySpec.Point point : spec.points()) {
            for (long seed : spec.seeds()) {
                List<String> overrides = new ArrayList<>(point.overrides());
                overrides.add("seed=" + seed);
                scenarios.add(ScenarioLoader.load(spec.base(), overrides));
            }
        }
        return scenarios;
    }

    public static String directoryName(int point, long seed) {
        return String.format("p%03d-seed%d", point, seed);
    }

    /** A run the journal does not hold yet: its point, seed and scenario. */
    public record PendingRun(int point, long seed, LoadedScenario scenario) {
        public String directoryName() {
            return StudyRunner.directoryName(point, seed);
        }
    }

    /** Checks the study, creates its directory, and lists the runs its journal does not hold, in point and seed order. */
    public List<PendingRun> pending() throws Exception {
        List<LoadedScenario> scenarios = validate();
        Files.createDirectories(out);
        Map<String, JournalEntry> done = readJournal();
        List<PendingRun> pending = new ArrayList<>();
        int i = 0;
        for (StudySpec.Point point : spec.points()) {
            for (long seed : spec.seeds()) {
                LoadedScenario scenario = scenarios.get(i++);
                if (!done.containsKey(directoryName(point.index(), seed))) {
                    pending.add(new PendingRun(point.index(), seed, scenario));
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
        List<PendingRun> pending = pending();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (PendingRun run : pending) {
                futures.add(pool.submit(() -> {
                    Path directory = freshRunDirectory(run.point(), run.seed());
                    ScenarioRun.execute(run.scenario(), directory, 1, RunProgress.NONE);
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

    /** results.csv and report.html from the journal; returns the path of results.csv. */
    public Path finish() throws IOException {
        Path results = writeResults(readJournal());
        if (!spec.curves().isEmpty()) {
            writeCurves();
        }
        StudyReport.write(out, spec.name());
        return results;
    }

    /** Where a run's files go. */
    public Path directory(int point, long seed) {
        return out.resolve(directoryName(point, seed));
    }

    /** The empty directory of a run, after removing what a killed or abandoned attempt left there. */
    public Path freshRunDirectory(int point, long seed) throws IOException {
        Path directory = out.resolve(directoryName(point, seed));
        deleteTree(directory);
        Files.createDirectories(directory);
        return directory;
    }

    /** Reads a finished run's metrics from its directory and appends them to the journal: the run now counts as done. */
    public JournalEntry journal(int point, long seed) throws IOException {
        Path directory = out.resolve(directoryName(point, seed));
        JsonNode summary = RunFormats.jsonDocument().readTree(directory.resolve(RunFiles.SUMMARY).toFile());
        List<RoundRecord> rounds = RunTables.readCsv(directory.resolve(RunFiles.ROUNDS), RoundRecord.class);
        JsonNode last = json.valueToTree(rounds.get(rounds.size() - 1));
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String metric : spec.metrics()) {
            JsonNode value = summary.has(metric) ? summary.get(metric) : last.get(metric);
            metrics.put(metric, number(value));
        }
        JournalEntry entry = new JournalEntry(point, seed, metrics);
        append(entry);
        return entry;
    }

    /** One line per finished run, forced to disk before the run counts as done. */
    private synchronized void append(JournalEntry entry) throws IOException {
        byte[] line = (json.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(out.resolve(JOURNAL), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(java.nio.ByteBuffer.wrap(line));
            channel.force(true);
        }
    }

    /** Finished runs by directory name; a last line cut off by a kill is ignored (that run is redone). */
    public Map<String, JournalEntry> readJournal() throws IOException {
        Map<String, JournalEntry> entries = new TreeMap<>();
        Path journal = out.resolve(JOURNAL);
        if (!Files.exists(journal)) {
            return entries;
        }
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
            if (!line.endsWith("}")) {
                continue;
            }
            try {
                JournalEntry entry = json.readValue(line, JournalEntry.class);
                entries.putIfAbsent(directoryName(entry.point(), entry.seed()), entry);
            } catch (IOException e) {
                // a torn line: its run is not counted as done
            }
        }
        return entries;
    }

    /** results.csv: a row per point, its axis values, the number of runs, and each metric's mean and 95 % interval. */
    private Path writeResults(Map<String, JournalEntry> entries) throws IOException {
        List<String> axes = spec.points().isEmpty() ? List.of() : new ArrayList<>(spec.points().get(0).values().keySet());
        StringBuilder csv = new StringBuilder("point");
        axes.forEach(axis -> csv.append(',').append(axis));
        csv.append(",runs");
        for (String metric : spec.metrics()) {
            csv.append(',').append(metric).append("_mean,").append(metric).append("_ci95");
        }
        csv.append('\n');
        for (StudySpec.Point point : spec.points()) {
            csv.append(point.index());
            axes.forEach(axis -> csv.append(',').append(point.values().get(axis)));
            List<JournalEntry> runs = spec.seeds().stream().map(seed -> entries.get(directoryName(point.index(), seed)))
                    .filter(java.util.Objects::nonNull).toList();
            csv.append(',').append(runs.size());
            for (String metric : spec.metrics()) {
                double[] values = runs.stream().mapToDouble(run -> run.metrics().get(metric)).toArray();
                double[] interval = meanAndHalfWidth(values);
                csv.append(',').append(interval[0]).append(',').append(interval[1]);
            }
            csv.append('\n');
        }
        Path results = out.resolve(RESULTS);
        AtomicFiles.write(results, csv.toString().getBytes(StandardCharsets.UTF_8));
        return results;
    }

    /**
     * curves.csv: a row per point and round, with each curve metric's mean and 95 % interval over the
     * seeds that have that round, read from the runs' rounds.csv.
     */
    private void writeCurves() throws IOException {
        List<String> axes = spec.points().isEmpty() ? List.of() : new ArrayList<>(spec.points().get(0).values().keySet());
        StringBuilder csv = new StringBuilder("point");
        axes.forEach(axis -> csv.append(',').append(axis));
        csv.append(",round,runs");
        for (String curve : spec.curves()) {
            csv.append(',').append(curve).append("_mean,").append(curve).append("_ci95");
        }
        csv.append('\n');
        for (StudySpec.Point point : spec.points()) {
            List<List<JsonNode>> runs = new ArrayList<>();
            int rounds = 0;
            for (long seed : spec.seeds()) {
                Path file = directory(point.index(), seed).resolve(RunFiles.ROUNDS);
                if (Files.exists(file)) {
                    List<JsonNode> rows = RunTables.readCsv(file, RoundRecord.class).stream()
                            .map(row -> (JsonNode) json.valueToTree(row)).toList();
                    runs.add(rows);
                    rounds = Math.max(rounds, rows.size());
                }
            }
            for (int round = 0; round < rounds; round++) {
                int r = round;
                List<List<JsonNode>> having = runs.stream().filter(rows -> rows.size() > r).toList();
                csv.append(point.index());
                axes.forEach(axis -> csv.append(',').append(point.values().get(axis)));
                csv.append(',').append(round).append(',').append(having.size());
                for (String curve : spec.curves()) {
                    double[] values = having.stream().mapToDouble(rows -> number(rows.get(r).get(curve))).toArray();
                    double[] interval = meanAndHalfWidth(values);
                    csv.append(',').append(interval[0]).append(',').append(interval[1]);
                }
                csv.append('\n');
            }
        }
        AtomicFiles.write(out.resolve(CURVES), csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static double number(JsonNode value) {
        return value.isNumber() ? value.asDouble() : Double.parseDouble(value.asText());
    }

    /** Mean and the half-width of its 95 % Student-t interval (NaN for fewer than two values). */
    static double[] meanAndHalfWidth(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = Arrays.stream(values).sum() / n;
        if (n < 2) {
            return new double[] {mean, Double.NaN};
        }
        double variance = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (n - 1);
        double t = new TDistribution(n - 1).inverseCumulativeProbability(0.975);
        return new double[] {mean, t * Math.sqrt(variance / n)};
    }

    /** Removes a directory and everything under it; nothing if it does not exist. */
    public static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
