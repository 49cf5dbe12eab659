package org.fedlodrop.reports.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study's {@code results.csv} (a row per point) or {@code curves.csv} (a row per point and round):
 * the point, the value of each sweep axis as the study file wrote it (a scalar as it is, a list or
 * mapping as compact JSON), the runs behind the row, and each metric's {@link Interval}.
 *
 * @param axes     sweep axes, as scenario field paths
 * @param perRound true for curves.csv, whose rows also carry a round
 * @param metrics  metric names, in column order
 */
public record StudyTable(List<String> axes, boolean perRound, List<String> metrics, List<Row> rows) {
    public StudyTable {
        axes = List.copyOf(axes);
        metrics = List.copyOf(metrics);
        rows = List.copyOf(rows);
    }

    /**
     * One row.
     *
     * @param values    one value per axis, in the order of {@link #axes}
     * @param round     the round for curves.csv, -1 in results.csv
     * @param intervals one per metric, in the order of {@link #metrics}
     */
    public record Row(int point, List<String> values, int round, int runs, List<Interval> intervals) {
        public Row {
            values = List.copyOf(values);
            intervals = List.copyOf(intervals);
        }
    }

    /** Longest value shown as it is in tables and plots; longer lists and mappings get a short label. */
    static final int LABEL_LENGTH = 24;

    /**
     * Short labels for an axis's values: a scalar or a short value as it is; a longer list or
     * mapping as {@code leaf#n}, numbered by first appearance (the legend says what each stands for).
     */
    public Map<String, String> labels(String axis) {
        int column = axes.indexOf(axis);
        if (column < 0) {
            throw new IllegalArgumentException("no axis " + axis);
        }
        String leaf = axis.substring(axis.lastIndexOf('.') + 1);
        Map<String, String> labels = new LinkedHashMap<>();
        int n = 0;
        for (Row row : rows) {
            String value = row.values().get(column);
            if (!labels.containsKey(value)) {
                boolean structured = value.startsWith("[") || value.startsWith("{");
                labels.put(value, structured && value.length() > LABEL_LENGTH ? leaf + "#" + (++n) : value);
            }
        }
        return labels;
    }

    /** Lines "label = value" for every value of every axis that a label stands in for. */
    public List<String> legend() {
        List<String> lines = new ArrayList<>();
        for (String axis : axes) {
            labels(axis).forEach((value, label) -> {
                if (!label.equals(value)) {
                    lines.add(label + " = " + value);
                }
            });
        }
        return lines;
    }

    /** A row's label for an axis. */
    public String label(Row row, String axis) {
        return labels(axis).get(row.values().get(axes.indexOf(axis)));
    }
}
