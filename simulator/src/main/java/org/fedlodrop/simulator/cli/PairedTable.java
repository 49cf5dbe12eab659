package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.fedlodrop.simulator.study.PairedDifferences;

/** One point against the others, paired over seeds, as the markdown table that compare and table --paired print. */
final class PairedTable {
    private PairedTable() {
    }

    /**
     * @param reference the label of the point the others are set against
     * @param labels    each point's label, by point index
     * @param metrics   the columns, in order; those no row has are left out
     */
    static void print(PrintWriter out, List<PairedDifferences.Row> rows, String reference, Map<Integer, String> labels,
                      List<String> metrics) {
        List<String> shown = metrics.stream().filter(m -> rows.stream().anyMatch(r -> r.cells().containsKey(m))).toList();
        if (shown.isEmpty()) {
            return;
        }
        out.printf("%npaired over seeds: %s minus each other row (mean ± 95 %% interval of the per-seed differences;"
                + " [n/N]: seeds in which %s is better; p: the exact two-sided sign-flip test's, never below 2/2^N;"
                + " bold: the interval excludes 0)%n%n", reference, reference);
        out.println("| against | " + String.join(" | ", shown) + " |");
        out.println("|---|" + "---:|".repeat(shown.size()));
        for (PairedDifferences.Row row : rows) {
            StringBuilder line = new StringBuilder("| " + labels.get(row.point()).replace("|", "\\|") + " |");
            for (String metric : shown) {
                PairedDifferences.Cell cell = row.cells().get(metric);
                line.append(' ').append(cell == null ? "" : cell(cell)).append(" |");
            }
            out.println(line);
        }
    }

    private static String cell(PairedDifferences.Cell cell) {
        double mean = cell.difference().mean();
        double half = cell.difference().ci95();
        String text = signed(mean) + (Double.isFinite(half) ? " ± " + TableCommand.significant(half, 2) : "");
        boolean excludesZero = Double.isFinite(half) && Math.abs(mean) > half;
        String p = Double.isNaN(cell.signFlipP()) ? "" : ", p " + TableCommand.significant(cell.signFlipP(), 3);
        return (excludesZero ? "**" + text + "**" : text) + " [" + cell.ahead() + "/" + cell.seeds() + p + "]";
    }

    private static String signed(double value) {
        String digits = TableCommand.significant(value, 3);
        return value > 0 ? "+" + digits : digits;
    }
}
