package org.fedlodrop.reports.html;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.fedlodrop.reports.io.AtomicFiles;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** A benchmark's figure: lines with markers through (x, y) points, optionally on a logarithmic y axis, as an SVG file. */
public final class BenchPlot {
    private BenchPlot() {
    }

    /** @param series name → points as {x, y} pairs */
    public static void write(Path file, String title, String xLabel, String yLabel, Map<String, double[][]> series,
                             boolean logarithmicY) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> entry : series.entrySet()) {
            XYSeries line = new XYSeries(entry.getKey(), false, true);
            for (double[] point : entry.getValue()) {
                if (Double.isFinite(point[1]) && (!logarithmicY || point[1] > 0)) {
                    line.add(point[0], point[1]);
                }
            }
            data.addSeries(line);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
                false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        if (logarithmicY) {
            LogarithmicAxis axis = new LogarithmicAxis(yLabel);
            axis.setAllowNegativesFlag(false);
            plot.setRangeAxis(axis);
        }
        String name = file.getFileName().toString().replaceFirst("\\.svg$", "");
        AtomicFiles.write(file, Charts.svg(name, Charts.styled(chart)).getBytes(StandardCharsets.UTF_8));
    }
}
