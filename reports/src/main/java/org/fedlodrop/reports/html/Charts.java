package org.fedlodrop.reports.html;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** JFreeChart charts of a run, rendered to SVG text (JFreeSVG), so a report needs nothing at view time. */
final class Charts {
    static final int WIDTH = 720;
    static final int HEIGHT = 320;

    private Charts() {
    }

    /** Lines over rounds: series name → values by round (NaN values are left out). */
    static JFreeChart lines(String title, String yLabel, Map<String, double[]> series, Double budget) {
        return lines(title, yLabel, series, budget, java.util.Set.of());
    }

    /** As above, the series named in {@code references} dashed: reference lines beside the others. */
    static JFreeChart lines(String title, String yLabel, Map<String, double[]> series, Double budget,
                            java.util.Set<String> references) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            XYSeries line = new XYSeries(entry.getKey(), false, true);
            for (int round = 0; round < entry.getValue().length; round++) {
                if (Double.isFinite(entry.getValue()[round])) {
                    line.add(round, entry.getValue()[round]);
                }
            }
            data.addSeries(line);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "round", yLabel, data, PlotOrientation.VERTICAL,
                series.size() <= 12, false, false);
        XYPlot plot = chart.getXYPlot();
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        if (budget != null) {
            ValueMarker marker = new ValueMarker(budget, Color.RED, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            marker.setLabel("budget");
            plot.addRangeMarker(marker);
        }
        int index = 0;
        for (String name : series.keySet()) {
            if (references.contains(name)) {
                plot.getRenderer().setSeriesStroke(index, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                        10, new float[] {8, 5}, 0));
            }
            index++;
        }
        return style(chart);
    }

    /** Lines over a measured x (virtual time): series name → {x values, y values}; NaN points are left out. */
    static JFreeChart against(String title, String xLabel, String yLabel, Map<String, double[][]> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> entry : series.entrySet()) {
            XYSeries line = new XYSeries(entry.getKey(), false, true);
            double[] x = entry.getValue()[0];
            double[] y = entry.getValue()[1];
            for (int i = 0; i < x.length; i++) {
                if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                    line.add(x[i], y[i]);
                }
            }
            data.addSeries(line);
        }
        return style(ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                series.size() <= 12, false, false));
    }

    /** Horizontal stacked bars: category → stage → duration (a Gantt chart of stages starting together). */
    static JFreeChart stages(String title, String valueLabel, List<String> categories, Map<String, double[]> stages) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, double[]> stage : stages.entrySet()) {
            for (int i = 0; i < categories.size(); i++) {
                data.addValue(stage.getValue()[i], stage.getKey(), categories.get(i));
            }
        }
        JFreeChart chart = ChartFactory.createStackedBarChart(title, "", valueLabel, data, PlotOrientation.HORIZONTAL,
                true, false, false);
        StackedBarRenderer renderer = (StackedBarRenderer) chart.getCategoryPlot().getRenderer();
        renderer.setShadowVisible(false);
        int index = 0;
        for (String stage : stages.keySet()) {
            // Time spent waiting is drawn pale, so that the bars of work stand out.
            if (stage.startsWith("until ") || stage.startsWith("waiting ")) {
                renderer.setSeriesPaint(index, new Color(0xe4, 0xe4, 0xe4));
            }
            index++;
        }
        return style(chart);
    }

    /** Vertical stacked bars per round. */
    static JFreeChart counts(String title, String valueLabel, int rounds, Map<String, double[]> stacks) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, double[]> stack : stacks.entrySet()) {
            for (int round = 0; round < rounds; round++) {
                data.addValue(stack.getValue()[round], stack.getKey(), Integer.valueOf(round));
            }
        }
        JFreeChart chart = ChartFactory.createStackedBarChart(title, "round", valueLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        ((StackedBarRenderer) chart.getCategoryPlot().getRenderer()).setShadowVisible(false);
        return style(chart);
    }

    /**
     * The chart as an SVG element. JFreeSVG keys its clip paths on {@code System.nanoTime()} unless told
     * otherwise, which would make every report differ; the chart's name keys them instead, unique within
     * a page and the same in every run.
     */
    static String svg(String name, JFreeChart chart) {
        SVGGraphics2D graphics = new SVGGraphics2D(WIDTH, HEIGHT);
        graphics.setDefsKeyPrefix("_" + name.replaceAll("[^A-Za-z0-9_-]", "_") + "-");
        chart.draw(graphics, new java.awt.Rectangle(0, 0, WIDTH, HEIGHT));
        return graphics.getSVGElement();
    }

    /** The reports' look (white background, title font) on a chart built elsewhere. */
    static JFreeChart styled(JFreeChart chart) {
        return style(chart);
    }

    private static JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        chart.getPlot().setBackgroundPaint(new Color(250, 250, 250));
        return chart;
    }
}
