package org.fedlodrop.reports.html;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedlodrop.reports.io.AtomicFiles;
import org.fedlodrop.reports.study.Interval;
import org.fedlodrop.reports.study.StudyTable;
import org.fedlodrop.reports.study.StudyTables;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.StatisticalLineAndShapeRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/**
 * {@code report.html} of a study, from its {@code results.csv} alone: per metric, the mean over seeds
 * with its 95 % interval against the first sweep axis, one line per combination of the other axes;
 * and from {@code curves.csv}, when the study asked for curves, each curve metric round by round.
 * Plots are inline SVG and also written to {@code plots/}.
 */
public final class StudyReport {
    public static final String RESULTS = "results.csv";
    public static final String CURVES = "curves.csv";

    private StudyReport() {
    }

    /** Whether a point is a reference arm by its axes: training.arm other than federated, or only the head trained. */
    static boolean isReference(StudyTable table, StudyTable.Row row) {
        boolean arm = table.axes().contains("training.arm") && !"federated".equals(table.label(row, "training.arm"));
        boolean frozen = table.axes().contains("training.train_lora") && "false".equals(table.label(row, "training.train_lora"));
        return arm || frozen;
    }

    /**
     * From curves.csv, if the study asked for curves: per metric, its mean over seeds round by round,
     * one line per point (labelled by the point's axis values).
     */
    private static void appendCurves(Path studyDirectory, Path plots, StringBuilder html) throws IOException {
        Path file = studyDirectory.resolve(CURVES);
        if (!Files.exists(file)) {
            return;
        }
        StudyTable curves = StudyTables.read(file);
        if (curves.rows().isEmpty()) {
            return;
        }
        html.append("<h2>Per round</h2>\n<p>Each metric's mean over seeds in every round, one line per point;"
                + " reference arms (training.arm other than federated, or training.train_lora false) dashed, a"
                + " bag-of-words fit drawn across every round. Numbers: curves.csv.</p>\n<div class=\"charts\">\n");
        for (int m = 0; m < curves.metrics().size(); m++) {
            String metric = curves.metrics().get(m);
            Map<String, List<Double>> byPoint = new LinkedHashMap<>();
            java.util.Set<String> references = new java.util.HashSet<>();
            for (StudyTable.Row row : curves.rows()) {
                List<String> label = new ArrayList<>();
                curves.axes().forEach(axis -> label.add(axis + "=" + curves.label(row, axis)));
                String series = label.isEmpty() ? "point " + row.point() : String.join(", ", label);
                byPoint.computeIfAbsent(series, key -> new ArrayList<>()).add(row.intervals().get(m).mean());
                if (isReference(curves, row)) {
                    references.add(series);
                }
            }
            int rounds = byPoint.values().stream().mapToInt(List::size).max().orElse(0);
            Map<String, double[]> series = new LinkedHashMap<>();
            byPoint.forEach((label, values) -> {
                double[] line = values.stream().mapToDouble(Double::doubleValue).toArray();
                // A reference fitted once (one row) is a level to compare every round with.
                if (references.contains(label) && line.length == 1) {
                    double level = line[0];
                    line = new double[rounds];
                    java.util.Arrays.fill(line, level);
                }
                series.put(label, line);
            });
            String id = "round-" + metric;
            String svg = Charts.svg(id, Charts.lines(metric + " per round (mean over seeds)", metric, series, null,
                    references));
            AtomicFiles.write(plots.resolve(id + ".svg"), svg.getBytes(StandardCharsets.UTF_8));
            html.append("<figure id=\"").append(RunReport.escape(id)).append("\">").append(svg).append("</figure>\n");
        }
        html.append("</div>\n");
        appendLegend(curves, html);
    }

    /** What each short label of a list- or mapping-valued axis stands for. */
    private static void appendLegend(StudyTable table, StringBuilder html) {
        List<String> legend = table.legend();
        if (legend.isEmpty()) {
            return;
        }
        html.append("<h3>Labels</h3>\n<ul class=\"legend\">\n");
        legend.forEach(line -> html.append("<li><code>").append(RunReport.escape(line)).append("</code></li>\n"));
        html.append("</ul>\n");
    }

    public static Path write(Path studyDirectory, String name) throws IOException {
        StudyTable results = StudyTables.read(studyDirectory.resolve(RESULTS));
        List<String> axes = results.axes();
        Path plots = Files.createDirectories(studyDirectory.resolve(RunReport.PLOTS));
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append("fedlodrop study ").append(RunReport.escape(name)).append("</title><style>")
                .append("body{font-family:sans-serif;margin:2em}.charts{display:flex;flex-wrap:wrap;gap:12px}")
                .append("</style></head><body>\n<h1>fedlodrop study: ").append(RunReport.escape(name)).append("</h1>\n")
                .append("<p>").append(results.rows().size()).append(" points; each metric's mean over seeds with its 95 % interval")
                .append(axes.isEmpty() ? "" : " against " + RunReport.escape(axes.get(0))).append(". Numbers: results.csv.</p>\n")
                .append("<div class=\"charts\">\n");
        for (int m = 0; m < results.metrics().size(); m++) {
            String metric = results.metrics().get(m);
            DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
            for (StudyTable.Row row : results.rows()) {
                String x = axes.isEmpty() ? Integer.toString(row.point()) : results.label(row, axes.get(0));
                List<String> others = new ArrayList<>();
                for (String axis : axes.subList(Math.min(1, axes.size()), axes.size())) {
                    others.add(axis + "=" + results.label(row, axis));
                }
                String series = others.isEmpty() ? metric : String.join(", ", others);
                Interval interval = row.intervals().get(m);
                data.add(interval.mean(), Double.isFinite(interval.ci95()) ? interval.ci95() : 0, series, x);
            }
            CategoryPlot plot = new CategoryPlot(data, new CategoryAxis(axes.isEmpty() ? "point" : axes.get(0)),
                    new NumberAxis(metric), new StatisticalLineAndShapeRenderer(true, true));
            ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
            plot.setBackgroundPaint(new Color(250, 250, 250));
            JFreeChart chart = new JFreeChart(metric + " (mean ± 95 % interval)", JFreeChart.DEFAULT_TITLE_FONT, plot,
                    data.getRowCount() > 1 && data.getRowCount() <= 16);
            chart.setBackgroundPaint(Color.WHITE);
            String svg = Charts.svg(metric, chart);
            AtomicFiles.write(plots.resolve(metric + ".svg"), svg.getBytes(StandardCharsets.UTF_8));
            html.append("<figure id=\"").append(RunReport.escape(metric)).append("\">").append(svg).append("</figure>\n");
        }
        html.append("</div>\n");
        appendLegend(results, html);
        appendCurves(studyDirectory, plots, html);
        html.append("</body></html>\n");
        Path report = studyDirectory.resolve(RunReport.FILE);
        AtomicFiles.write(report, html.toString().getBytes(StandardCharsets.UTF_8));
        return report;
    }
}
