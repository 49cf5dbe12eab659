package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.simulator.run.UserInputException;
import org.fedlodrop.simulator.study.StudyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "table", mixinStandardHelpOptions = true,
        description = {"Print a finished study's results.csv (or curves.csv with --curves) as a markdown table:",
                "the sweep axes, then each metric as mean ± 95 % interval over the seeds, 4 significant digits."})
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
            throw new UserInputException(directory + ": no " + file.getFileName() + " here; expected the directory of a"
                    + " finished study" + (curves ? " whose study file lists curves" : ""));
        }
        List<Map<String, String>> rows = RunTables.readRows(file);
        if (rows.isEmpty()) {
            throw new UserInputException(file + ": no rows");
        }
        List<String> columns = new ArrayList<>(rows.get(0).keySet());
        int runs = columns.indexOf("runs");
        List<String> keys = columns.subList(1, runs); // axes, and the round for curves
        List<String> metrics = columns.stream().filter(c -> c.endsWith("_mean"))
                .map(c -> c.substring(0, c.length() - "_mean".length())).toList();
        PrintWriter out = spec.commandLine().getOut();
        out.println("| " + String.join(" | ", keys) + " | runs | " + String.join(" | ", metrics) + " |");
        out.println("|" + "---|".repeat(keys.size()) + "---:|" + "---:|".repeat(metrics.size()));
        for (Map<String, String> row : rows) {
            if (curves && rounds != null && !rounds.contains(Integer.parseInt(row.get("round")))) {
                continue;
            }
            StringBuilder line = new StringBuilder("|");
            keys.forEach(key -> line.append(' ').append(row.get(key)).append(" |"));
            line.append(' ').append(row.get("runs")).append(" |");
            for (String metric : metrics) {
                line.append(' ').append(format(row.get(metric + "_mean"), row.get(metric + "_ci95"))).append(" |");
            }
            out.println(line);
        }
        return FedLoDrop.EXIT_OK;
    }

    private static String format(String mean, String halfWidth) {
        double m = Double.parseDouble(mean);
        double h = Double.parseDouble(halfWidth);
        String value = significant(m);
        return Double.isFinite(h) ? value + " ± " + significant(h) : value;
    }

    private static String significant(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        if (value == 0) {
            return "0";
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
