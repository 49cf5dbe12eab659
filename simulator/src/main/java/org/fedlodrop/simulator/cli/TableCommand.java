package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.io.IOException;
import org.fedlodrop.reports.study.Interval;
import org.fedlodrop.reports.study.StudyTable;
import org.fedlodrop.reports.study.StudyTables;
import org.fedlodrop.simulator.run.UserInputException;
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

    @Override
    public Integer call() throws Exception {
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
        print(table, curves ? rounds : null, spec.commandLine().getOut());
        return FedLoDrop.EXIT_OK;
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
