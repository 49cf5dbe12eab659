package org.fedlodrop.simulator.study;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.reports.study.Interval;
import org.fedlodrop.reports.study.JournalEntry;

/**
 * One point of a study against each other point, paired over the seeds both ran. A seed draws the same
 * data, fleet, channel and masks for every point, so the per-seed difference removes what the seed
 * draws; its mean and 95 % Student-t interval say whether the two differ where the intervals of the two
 * means, which carry the seed's spread, overlap, and the sign-flip test's exact p says the same without assuming
 * that the differences are normal.
 */
public final class PairedDifferences {
    /** The file a comparison writes them to. */
    public static final String FILE = "paired.csv";

    /** Which way a metric is better. */
    public enum Better {
        HIGHER, LOWER;

        /** Name parts of metrics that are better lower: losses, costs, times and devices not served. */
        public static final List<String> LOWER_PARTS = List.of("loss", "energy", "latency", "time", "missed",
                "refused", "unserved");

        /** A metric is better lower when its name holds one of {@link #LOWER_PARTS}, higher otherwise. */
        public static Better of(String metric) {
            return LOWER_PARTS.stream().anyMatch(metric::contains) ? LOWER : HIGHER;
        }
    }

    /** A metric of the journal and which way it is better. */
    public record Metric(String name, Better better) {
    }

    /**
     * The reference point minus another on one metric.
     *
     * @param difference mean and 95 % interval of the per-seed differences
     * @param ahead      seeds in which the reference is better
     * @param seeds      seeds with the metric finite for both points
     * @param signFlipP  exact two-sided p of the sign-flip test over those seeds ({@link SignFlip}; NaN past
     *                   {@link SignFlip#MAX_EXACT} seeds that differ)
     */
    public record Cell(Interval difference, int ahead, int seeds, double signFlipP) {
    }

    /** The reference against one other point, by metric (a metric no seed has for both is absent). */
    public record Row(int point, Map<String, Cell> cells) {
        public Row {
            cells = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cells));
        }
    }

    private PairedDifferences() {
    }

    /** The reference point against each of the others, on each metric. */
    public static List<Row> of(Collection<JournalEntry> entries, int reference, List<Integer> others,
                               List<Metric> metrics) {
        Map<Integer, Map<Long, Map<String, Double>>> byPoint = new TreeMap<>();
        for (JournalEntry entry : entries) {
            byPoint.computeIfAbsent(entry.point(), p -> new TreeMap<>()).put(entry.seed(), entry.metrics());
        }
        Map<Long, Map<String, Double>> base = byPoint.getOrDefault(reference, Map.of());
        List<Row> rows = new ArrayList<>();
        for (int other : others) {
            Map<Long, Map<String, Double>> against = byPoint.getOrDefault(other, Map.of());
            Map<String, Cell> cells = new LinkedHashMap<>();
            for (Metric metric : metrics) {
                List<Double> differences = new ArrayList<>();
                int ahead = 0;
                for (Map.Entry<Long, Map<String, Double>> seed : base.entrySet()) {
                    Double mine = seed.getValue().get(metric.name());
                    Map<String, Double> theirs = against.get(seed.getKey());
                    Double value = theirs == null ? null : theirs.get(metric.name());
                    if (mine == null || value == null || !Double.isFinite(mine) || !Double.isFinite(value)) {
                        continue;
                    }
                    double difference = mine - value;
                    differences.add(difference);
                    if (metric.better() == Better.HIGHER ? difference > 0 : difference < 0) {
                        ahead++;
                    }
                }
                if (!differences.isEmpty()) {
                    double[] values = differences.stream().mapToDouble(Double::doubleValue).toArray();
                    cells.put(metric.name(), new Cell(Intervals.of(values), ahead, values.length,
                            SignFlip.twoSidedP(values)));
                }
            }
            rows.add(new Row(other, cells));
        }
        return rows;
    }

    /** A line of {@link #FILE}. */
    @JsonPropertyOrder({"reference", "against", "metric", "seeds", "mean_difference", "ci95", "seeds_reference_better",
        "sign_flip_p"})
    public record Line(String reference, String against, String metric, int seeds,
                       double meanDifference, double ci95, int seedsReferenceBetter, double signFlipP) {
    }

    /** Writes the rows to {@code file}, points named by {@code labels} (by point index). */
    public static void write(Path file, List<Row> rows, int reference, List<String> labels) throws IOException {
        List<Line> lines = new ArrayList<>();
        for (Row row : rows) {
            for (Map.Entry<String, Cell> cell : row.cells().entrySet()) {
                Cell c = cell.getValue();
                lines.add(new Line(labels.get(reference), labels.get(row.point()), cell.getKey(), c.seeds(),
                        c.difference().mean(), c.difference().ci95(), c.ahead(), c.signFlipP()));
            }
        }
        CsvMapper csv = RunFormats.csv();
        Files.writeString(file, csv.writer(RunFormats.csvSchema(csv, Line.class)).writeValueAsString(lines));
    }
}
