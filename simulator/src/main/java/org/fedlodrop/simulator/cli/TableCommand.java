package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.io.IOException;
import org.fedlodrop.reports.study.Interval;
import org.fedlodrop.reports.study.JournalEntry;
import org.fedlodrop.reports.study.StudyTable;
import org.fedlodrop.reports.study.StudyTables;
import org.fedlodrop.simulator.run.UserInputException;
import org.fedlodrop.simulator.study.PairedDifferences;
import org.fedlodrop.simulator.study.StudyJournal;
import org.fedlodrop.simulator.study.StudyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "table", mixinStandardHelpOptions = true,
        description = {"Print a study's results.csv (or curves.csv with --curves) as a markdown table: the sweep",
                "axes, then each metric as mean ± 95 %% interval over the seeds, 4 significant digits. results.csv is",
                "written again as each run finishes, so a study still running, or killed, shows the runs it has so far",
                "(the runs column); curves.csv is written when the study ends."})
final class TableCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STUDY_DIR", description = "A study directory (from fedlodrop study).")
    Path directory;

    @Option(names = "--curves", description = "Tabulate curves.csv (per round) instead of results.csv.")
    boolean curves;

    @Option(names = "--rounds", split = ",", paramLabel = "R,R,...",
            description = "With --curves: only these rounds (default: all).")
    List<Integer> rounds;

    @Option(names = "--paired", paramLabel = "POINT", description = {"Below the table, this point (results.csv's point"
            + " column, from 0: the table's order) against every other point, paired over the seeds both ran, from the"
            + " study's journal.jsonl: the mean of the per-seed differences with its 95 %% interval, the seeds in which"
            + " POINT is better, and the exact sign-flip test's p, as compare prints them."})
    Integer pairedPoint;

    @Option(names = "--metrics", split = ",", paramLabel = "M,M,...", description = {"With --paired: the metrics to"
            + " pair (default: the study's). Better is lower for a metric whose name holds loss, energy, latency,"
            + " time, missed, refused or unserved, higher for the others."})
    List<String> pairedMetrics;

    @Override
    public Integer call() throws Exception {
        if (pairedPoint != null && curves) {
            throw new UserInputException("--paired pairs the runs' final metrics (results.csv); it does not go with --curves");
        }
        if (pairedMetrics != null && pairedPoint == null) {
            throw new UserInputException("--metrics chooses the metrics of --paired; give --paired POINT too");
        }
        Path file = directory.resolve(curves ? StudyRunner.CURVES : StudyRunner.RESULTS);
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(directory + ": no " + file.getFileName() + " here; expected " + expected());
        }
        StudyTable table;
        try {
            table = StudyTables.read(file);
        } catch (IOException e) {
            throw new UserInputException(e.getMessage());
        }
        if (table.rows().isEmpty()) {
            throw new UserInputException(file + ": no rows");
        }
        // Paired first: a bad --paired or --metrics stops the command before it prints anything.
        Paired paired = pairedPoint == null ? null : paired(table);
        PrintWriter out = spec.commandLine().getOut();
        print(table, curves ? rounds : null, out);
        if (paired != null) {
            PairedTable.print(out, paired.rows(), pairedPoint + " (" + paired.labels().get(pairedPoint) + ")",
                    paired.labels(), paired.metrics());
            List<String> lower = paired.metrics().stream()
                    .filter(m -> PairedDifferences.Better.of(m) == PairedDifferences.Better.LOWER).toList();
            out.printf("%nbetter: %s%n", lower.isEmpty() ? "higher, for every metric here"
                    : "lower for " + String.join(", ", lower) + "; higher for the others");
        }
        return FedLoDrop.EXIT_OK;
    }

    /** The --paired point against the others: each point's label, the metrics paired and the rows. */
    private record Paired(Map<Integer, String> labels, List<String> metrics, List<PairedDifferences.Row> rows) {
    }

    /** The --paired point against every other point of the study, over the seeds each pair ran. */
    private Paired paired(StudyTable table) throws UserInputException {
        Map<Integer, String> labels = new LinkedHashMap<>();
        for (StudyTable.Row row : table.rows()) {
            List<String> values = new ArrayList<>();
            table.axes().forEach(axis -> values.add(table.label(row, axis)));
            labels.put(row.point(), values.isEmpty() ? "point " + row.point() : String.join(", ", values));
        }
        if (!labels.containsKey(pairedPoint)) {
            throw new UserInputException("--paired " + pairedPoint + ": " + directory.resolve(StudyRunner.RESULTS)
                    + " has no such point; expected one of " + labels.keySet());
        }
        if (labels.size() < 2) {
            throw new UserInputException("--paired: " + directory.resolve(StudyRunner.RESULTS) + " has one point only;"
                    + " pairing needs a study with at least two");
        }
        Path journalFile = directory.resolve(StudyJournal.FILE);
        if (!Files.isRegularFile(journalFile)) {
            throw new UserInputException("--paired: no " + StudyJournal.FILE + " in " + directory
                    + "; expected the directory of a study, whose journal holds each run's metrics by seed");
        }
        Collection<JournalEntry> entries;
        try {
            entries = new StudyJournal(directory).read().values();
        } catch (IOException | RuntimeException e) {
            throw new UserInputException(journalFile + ": " + e.getMessage());
        }
        List<String> metrics = pairedMetrics != null ? pairedMetrics : table.metrics();
        Set<String> known = new LinkedHashSet<>();
        entries.forEach(entry -> known.addAll(entry.metrics().keySet()));
        for (String metric : metrics) {
            if (!known.contains(metric)) {
                throw new UserInputException("--metrics: " + journalFile + " holds no metric " + metric + "; expected one of "
                        + known);
            }
        }
        List<Integer> others = labels.keySet().stream().filter(point -> !point.equals(pairedPoint)).toList();
        List<PairedDifferences.Row> rows = PairedDifferences.of(entries, pairedPoint, others,
                metrics.stream().map(m -> new PairedDifferences.Metric(m, PairedDifferences.Better.of(m))).toList());
        return new Paired(labels, metrics, rows);
    }

    /** What a directory without the asked-for table should have been. */
    private String expected() {
        if (!curves) {
            return "the directory of a study with at least one finished run";
        }
        if (Files.isRegularFile(directory.resolve(StudyRunner.RESULTS))) {
            return "the directory of a finished study whose study file lists curves (curves.csv is written when the"
                    + " study ends; results.csv holds the runs so far)";
        }
        return "the directory of a study with at least one finished run, whose study file lists curves";
    }

    /** A study table as markdown: the axes (labelled), the round for curves, runs, each metric as mean ± interval. */
    static void print(StudyTable table, List<Integer> rounds, PrintWriter out) {
        List<String> keys = new ArrayList<>(table.axes());
        if (table.perRound()) {
            keys.add("round");
        }
        // A study without axes (one point over seeds) has no key columns: its header starts with runs.
        String leading = keys.isEmpty() ? "|" : "| " + String.join(" | ", keys) + " |";
        out.println(leading + " runs | " + String.join(" | ", table.metrics()) + " |");
        out.println("|" + "---|".repeat(keys.size()) + "---:|" + "---:|".repeat(table.metrics().size()));
        for (StudyTable.Row row : table.rows()) {
            if (table.perRound() && rounds != null && !rounds.contains(row.round())) {
                continue;
            }
            StringBuilder line = new StringBuilder("|");
            table.axes().forEach(axis -> line.append(' ').append(table.label(row, axis).replace("|", "\\|")).append(" |"));
            if (table.perRound()) {
                line.append(' ').append(row.round()).append(" |");
            }
            line.append(' ').append(row.runs()).append(" |");
            for (Interval interval : row.intervals()) {
                line.append(' ').append(format(interval)).append(" |");
            }
            out.println(line);
        }
        List<String> legend = table.legend();
        if (!legend.isEmpty()) {
            out.println();
            legend.forEach(entry -> out.println("- `" + entry + "`"));
        }
    }

    private static String format(Interval interval) {
        String value = significant(interval.mean());
        // Summation noise of equal values (0.3 ± 5e-16) is no spread: shown as 0.
        double spread = Math.abs(interval.ci95()) <= 1e-12 * Math.abs(interval.mean()) ? 0 : interval.ci95();
        return Double.isFinite(interval.ci95()) ? value + " ± " + significant(spread) : value;
    }

    private static String significant(double value) {
        return significant(value, 4);
    }

    /** {@code value} to {@code digits} significant digits, without trailing zeros (as it is where not finite). */
    static String significant(double value, int digits) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        if (value == 0) {
            return "0";
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(digits)).stripTrailingZeros().toPlainString();
    }
}
