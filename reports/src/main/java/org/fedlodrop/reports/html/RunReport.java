package org.fedlodrop.reports.html;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.fedlodrop.reports.io.AtomicFiles;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.io.RunSummaryBuilder;
import org.fedlodrop.reports.io.RunState;
import org.fedlodrop.reports.records.AggregationRecord;
import org.fedlodrop.reports.records.CellRoundRecord;
import org.fedlodrop.reports.records.DeviceOutcome;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.RoundRecord;
import org.jfree.chart.JFreeChart;

/**
 * {@code report.html} of a run directory, from its files alone: learning curves (when the run
 * learned), round latency and device energy against the budgets, outcomes per round, γ, bandwidth,
 * power and frequency per device over rounds, and a Gantt chart of one round. Plots are inline SVG
 * (nothing is fetched when the page is viewed) and are also written to {@code plots/} for papers.
 */
public final class RunReport {
    public static final String FILE = "report.html";
    public static final String PLOTS = "plots";
    /** Per-device charts show at most this many devices, to stay legible. */
    private static final int DEVICES_SHOWN = 12;

    private RunReport() {
    }

    /** The budgets to draw against: T_max in seconds and E_max in joules. */
    public record Budgets(double latencyS, double energyJ) {
    }

    public static Path write(Path runDirectory, Budgets budgets, int ganttRound) throws IOException {
        // A run that did not finish is shown from its .part files, as far as its rounds finished.
        boolean finished = Files.exists(runDirectory.resolve(RunFiles.SUMMARY));
        List<RoundRecord> rounds = RunTables.readCompleteCsv(RunState.readable(runDirectory, RunFiles.ROUNDS), RoundRecord.class);
        int roundCount = rounds.size();
        Path devicesFile = RunState.readable(runDirectory, RunFiles.DEVICES);
        List<DeviceRoundRecord> allDevices = RunTables.readCompleteCsv(devicesFile, DeviceRoundRecord.class);
        List<double[]> allJobs = jobTimes(devicesFile);
        List<DeviceRoundRecord> devices = new ArrayList<>();
        List<double[]> jobs = new ArrayList<>();
        for (int i = 0; i < allDevices.size(); i++) {
            // A buffered run's job belongs to the step it ended before; a round's row to its round.
            int step = allJobs.isEmpty() ? allDevices.get(i).round() : (int) allJobs.get(i)[0];
            if (step < roundCount) {
                devices.add(allDevices.get(i));
                if (!allJobs.isEmpty()) {
                    jobs.add(allJobs.get(i));
                }
            }
        }
        JsonNode summary = finished ? RunFormats.jsonDocument().readTree(runDirectory.resolve(RunFiles.SUMMARY).toFile())
                : partialSummary(runDirectory, rounds, devices);
        String unfinished = finished ? "" : RunState.of(runDirectory).describe(runDirectory);
        int deviceCount = (int) devices.stream().mapToInt(DeviceRoundRecord::device).distinct().count();
        Map<String, JFreeChart> charts = new LinkedHashMap<>();

        if (rounds.stream().anyMatch(r -> Double.isFinite(r.testLoss()))) {
            Map<String, double[]> losses = new LinkedHashMap<>();
            losses.put("train loss", column(rounds, RoundRecord::trainLoss));
            losses.put("test loss", column(rounds, RoundRecord::testLoss));
            losses.put("generalisation gap", column(rounds, RoundRecord::genGap));
            charts.put("learning", Charts.lines("Loss and generalisation gap", "loss", losses, null));
            charts.put("accuracy", Charts.lines("Test accuracy", "accuracy",
                    Map.of("test accuracy", column(rounds, RoundRecord::testAccuracy)), null));
            // The clock that matters when rounds take different times (a backhaul's merges, other modes of aggregation).
            charts.put("accuracy-time", Charts.against("Test accuracy against virtual time", "virtual time at round end (s)",
                    "accuracy", Map.of("test accuracy", new double[][] {column(rounds, RoundRecord::endS),
                            column(rounds, RoundRecord::testAccuracy)})));
        }
        List<CellRoundRecord> cells = cellRows(runDirectory, roundCount);
        if (!cells.isEmpty() && rounds.stream().anyMatch(r -> Double.isFinite(r.testLoss()))) {
            Map<String, double[]> accuracy = new LinkedHashMap<>();
            accuracy.put("cloud (changes at merges)", column(rounds, RoundRecord::testAccuracy));
            int cellCount = cells.stream().mapToInt(CellRoundRecord::cell).max().orElse(-1) + 1;
            for (int c = 0; c < cellCount && c < DEVICES_SHOWN; c++) {
                double[] values = new double[roundCount];
                java.util.Arrays.fill(values, Double.NaN);
                for (CellRoundRecord row : cells) {
                    if (row.cell() == c) {
                        values[row.round()] = row.testAccuracy();
                    }
                }
                accuracy.put("cell " + c, values);
            }
            charts.put("cells", Charts.lines("Test accuracy of each cell's model after its aggregation, and the cloud's",
                    "accuracy", accuracy, null, java.util.Set.of("cloud (changes at merges)")));
        }
        Path aggregation = RunState.readable(runDirectory, RunFiles.AGGREGATION);
        if (Files.exists(aggregation)) {
            List<AggregationRecord> layers = RunTables.readCompleteCsv(aggregation, AggregationRecord.class);
            Map<String, double[]> error = new LinkedHashMap<>();
            error.put("relative error ‖R − T‖/‖T‖", meanPerRound(layers, roundCount, AggregationRecord::relativeError));
            error.put("amplification ‖R‖/‖T‖", meanPerRound(layers, roundCount, AggregationRecord::amplification));
            charts.put("aggregation", Charts.lines("Aggregation against the mean of the devices' models (mean over layers)",
                    "ratio", error, null));
        }
        // A reference arm (training.arm) sends nothing: no device-rounds, so no radio charts.
        boolean radio = !devices.isEmpty();
        if (radio) {
            radioCharts(charts, rounds, devices, jobs, deviceCount, budgets, ganttRound, cells);
        }
        Path plots = Files.createDirectories(runDirectory.resolve(PLOTS));
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>fedlodrop run ")
                .append(escape(summary.path("scenario").asText())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1500px}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{text-align:left}")
                .append(".charts{display:flex;flex-wrap:wrap;gap:12px}</style></head><body>\n")
                .append("<h1>fedlodrop run: ").append(escape(summary.path("scenario").asText())).append("</h1>\n")
                .append("<table>\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = summary.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            html.append("<tr><th>").append(escape(field.getKey())).append("</th><td>")
                    .append(escape(field.getValue().asText())).append("</td></tr>\n");
        }
        html.append("</table>\n");
        if (!unfinished.isEmpty()) {
            html.append("<p><strong>Not finished:</strong> ").append(escape(unfinished))
                    .append(". The summary and charts cover its finished rounds.</p>\n");
        }
        if (!radio) {
            html.append("<p>A reference arm (training.arm in scenario.yaml): trained without the network, so no"
                    + " time, energy or device charts.</p>\n");
        }
        if (deviceCount > DEVICES_SHOWN) {
            html.append("<p>Per-device charts show devices 0 to ").append(DEVICES_SHOWN - 1).append(" of ")
                    .append(deviceCount).append("; devices.csv has all.</p>\n");
        }
        html.append("<div class=\"charts\">\n");
        for (Map.Entry<String, JFreeChart> chart : charts.entrySet()) {
            String svg = Charts.svg(chart.getKey(), chart.getValue());
            AtomicFiles.write(plots.resolve(chart.getKey() + ".svg"), svg.getBytes(StandardCharsets.UTF_8));
            html.append("<figure id=\"").append(chart.getKey()).append("\">").append(svg).append("</figure>\n");
        }
        html.append("</div>\n</body></html>\n");
        Path report = runDirectory.resolve(FILE);
        AtomicFiles.write(report, html.toString().getBytes(StandardCharsets.UTF_8));
        return report;
    }

    /** The summary of the finished rounds of a run that did not finish, from their rows (its manifest names it). */
    private static JsonNode partialSummary(Path runDirectory, List<RoundRecord> rounds, List<DeviceRoundRecord> devices)
            throws IOException {
        JsonNode manifest = RunFormats.jsonDocument().readTree(runDirectory.resolve(RunFiles.MANIFEST).toFile());
        int deviceCount = (int) devices.stream().mapToInt(DeviceRoundRecord::device).distinct().count();
        RunSummaryBuilder builder = new RunSummaryBuilder(manifest.path("scenario_name").asText(),
                manifest.path("seed").asLong(), deviceCount);
        rounds.forEach(builder::accept);
        devices.forEach(builder::accept);
        return RunFormats.jsonDocument().valueToTree(builder.build());
    }

    /** Latency, energy, outcomes, γ, bandwidth, power, frequency and a Gantt chart of one round. */
    private static void radioCharts(Map<String, JFreeChart> charts, List<RoundRecord> rounds,
                                    List<DeviceRoundRecord> devices, List<double[]> jobs, int deviceCount,
                                    Budgets budgets, int ganttRound, List<CellRoundRecord> cells) {
        int roundCount = rounds.size();
        charts.put("latency", Charts.lines("Round latency", "seconds",
                Map.of("round latency", column(rounds, RoundRecord::latencyS)), budgets.latencyS()));
        charts.put("energy", Charts.lines("Energy per device and round", "joules",
                perDevice(devices, roundCount, deviceCount, DeviceRoundRecord::energyJ), budgets.energyJ()));
        Map<String, double[]> outcomes = new LinkedHashMap<>();
        outcomes.put("aggregated", column(rounds, r -> r.devicesAggregated()));
        outcomes.put("missed deadline", column(rounds, r -> r.devicesMissedDeadline()));
        outcomes.put("refused (energy)", column(rounds, r -> r.devicesRefusedEnergy()));
        outcomes.put("unserved", column(rounds, r -> r.devicesUnserved()));
        if (rounds.stream().anyMatch(r -> r.devicesOffline() > 0)) {
            outcomes.put("offline", column(rounds, r -> r.devicesOffline()));
        }
        charts.put("outcomes", Charts.counts("Devices per outcome", "devices", roundCount, outcomes));
        charts.put("gamma", Charts.lines("Dropout rate γ per device", "γ",
                perDevice(devices, roundCount, deviceCount, DeviceRoundRecord::gamma), null));
        List<String> classes = devices.stream().map(DeviceRoundRecord::deviceClass).distinct().sorted().toList();
        if (classes.size() > 1) {
            charts.put("gamma-class", Charts.lines("Mean γ per device class (devices served)", "γ",
                    perClass(devices, roundCount, classes), null));
        }
        charts.put("bandwidth", Charts.lines("Bandwidth per device", "Hz",
                perDevice(devices, roundCount, deviceCount, DeviceRoundRecord::bandwidthHz), null));
        charts.put("power", Charts.lines("Transmit power per device", "W",
                perDevice(devices, roundCount, deviceCount, DeviceRoundRecord::powerW), null));
        charts.put("frequency", Charts.lines("CPU frequency per device", "Hz",
                perDevice(devices, roundCount, deviceCount, DeviceRoundRecord::frequencyHz), null));
        int round = Math.max(0, Math.min(ganttRound, roundCount - 1));
        if (!jobs.isEmpty()) {
            charts.put("gantt", jobGantt(round, devices, jobs, classes.size() > 1));
            return;
        }
        List<DeviceRoundRecord> inRound = devices.stream().filter(d -> d.round() == round).toList();
        List<String> names = new ArrayList<>();
        Map<String, double[]> stages = new LinkedHashMap<>();
        stages.put("download", new double[inRound.size()]);
        stages.put("compute", new double[inRound.size()]);
        stages.put("upload", new double[inRound.size()]);
        for (int i = 0; i < inRound.size(); i++) {
            DeviceRoundRecord d = inRound.get(i);
            String label = "device " + d.device() + (classes.size() > 1 ? " " + d.deviceClass() : "");
            names.add(label + (d.outcome() == DeviceOutcome.AGGREGATED ? "" : " (" + d.outcome().label() + ")"));
            stages.get("download")[i] = d.tDlS();
            stages.get("compute")[i] = d.tCmpS();
            stages.get("upload")[i] = d.tUlS();
        }
        List<CellRoundRecord> merged = cells.stream().filter(c -> c.round() == round && c.merged()).toList();
        if (!merged.isEmpty()) {
            backhaulRows(rounds.get(round), merged, inRound.size(), names, stages);
        }
        charts.put("gantt", Charts.stages("Round " + round + ": download, compute and upload per device"
                + (merged.isEmpty() ? "" : "; each cell's model to the cloud and back"), "seconds", names, stages));

    }

    /**
     * A buffered run's step (docs/buffered.md): each job that ended before it, from its own start, so that jobs in
     * flight together overlap: the time until it started (pale), then its download, computation and upload.
     */
    private static JFreeChart jobGantt(int step, List<DeviceRoundRecord> devices, List<double[]> jobs, boolean classes) {
        List<Integer> rows = new ArrayList<>();
        double origin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < devices.size(); i++) {
            if ((int) jobs.get(i)[0] == step) {
                rows.add(i);
                origin = Math.min(origin, jobs.get(i)[1]);
            }
        }
        List<String> names = new ArrayList<>();
        Map<String, double[]> stages = new LinkedHashMap<>();
        for (String stage : List.of("until it started", "download", "compute", "upload")) {
            stages.put(stage, new double[rows.size()]);
        }
        for (int j = 0; j < rows.size(); j++) {
            DeviceRoundRecord d = devices.get(rows.get(j));
            names.add("device " + d.device() + (classes ? " " + d.deviceClass() : "")
                    + (d.outcome() == DeviceOutcome.AGGREGATED ? "" : " (" + d.outcome().label() + ")"));
            stages.get("until it started")[j] = jobs.get(rows.get(j))[1] - origin;
            stages.get("download")[j] = d.tDlS();
            stages.get("compute")[j] = d.tCmpS();
            stages.get("upload")[j] = d.tUlS();
        }
        return Charts.stages("Step " + step + ": each job that ended before it, from its start (seconds from "
                + String.format(java.util.Locale.ROOT, "%.2f s", origin) + ")", "seconds", names, stages);
    }

    /**
     * A buffered run's jobs (docs/buffered.md): each complete row's server step and start, in file order; empty for a
     * run of rounds, whose devices.csv has no such columns.
     */
    private static List<double[]> jobTimes(Path file) throws IOException {
        try (java.io.BufferedReader header = Files.newBufferedReader(file)) {
            String first = header.readLine();
            if (first == null || !first.contains("server_step")) {
                return List.of(); // a run of rounds: nothing more to read
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        com.fasterxml.jackson.dataformat.csv.CsvMapper mapper = new com.fasterxml.jackson.dataformat.csv.CsvMapper();
        try (com.fasterxml.jackson.databind.MappingIterator<Map<String, String>> rows = mapper.readerForMapOf(String.class)
                .with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader()).readValues(bytes, 0, end)) {
            List<double[]> jobs = new ArrayList<>();
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                jobs.add(new double[] {Double.parseDouble(row.get("server_step")), Double.parseDouble(row.get("start_s"))});
            }
            return jobs;
        }
    }

    /**
     * A round that ended with a cloud merge: one bar per cell after the devices', from the round's start until its
     * aggregation ended, then its model's transfer up, the wait for the slowest cell's, and the merged model's way
     * down (docs/hierarchy.md: the merge starts when the last model has arrived).
     */
    private static void backhaulRows(RoundRecord round, List<CellRoundRecord> merged, int deviceRows, List<String> names,
                                     Map<String, double[]> stages) {
        double up = merged.stream().mapToDouble(CellRoundRecord::backhaulUpS).max().orElse(0);
        double down = merged.stream().mapToDouble(CellRoundRecord::backhaulDownS).max().orElse(0);
        double aggregated = round.latencyS() - up - down;
        int rows = deviceRows + merged.size();
        for (String stage : List.of("download", "compute", "upload")) {
            stages.put(stage, java.util.Arrays.copyOf(stages.get(stage), rows));
        }
        String[] backhaul = {"until aggregated", "backhaul up", "waiting for the merge", "backhaul down"};
        for (String stage : backhaul) {
            stages.put(stage, new double[rows]);
        }
        for (int i = 0; i < merged.size(); i++) {
            CellRoundRecord cell = merged.get(i);
            int row = deviceRows + i;
            names.add("cell " + cell.cell() + " ↔ cloud");
            stages.get("until aggregated")[row] = aggregated;
            stages.get("backhaul up")[row] = cell.backhaulUpS();
            stages.get("waiting for the merge")[row] = up - cell.backhaulUpS();
            stages.get("backhaul down")[row] = cell.backhaulDownS();
        }
    }

    /** The rows of cells.csv of the finished rounds; none for a run without a backhaul. */
    private static List<CellRoundRecord> cellRows(Path runDirectory, int roundCount) throws IOException {
        Path file = RunState.readable(runDirectory, RunFiles.CELLS);
        if (!Files.exists(file)) {
            return List.of();
        }
        return RunTables.readCompleteCsv(file, CellRoundRecord.class).stream().filter(c -> c.round() < roundCount).toList();
    }

    /** Each round's mean of {@code value} over its rows of aggregation.csv; NaN for a round with none. */
    private static double[] meanPerRound(List<AggregationRecord> rows, int rounds, ToDoubleFunction<AggregationRecord> value) {
        double[] sum = new double[rounds];
        int[] count = new int[rounds];
        for (AggregationRecord row : rows) {
            if (row.round() < rounds && Double.isFinite(value.applyAsDouble(row))) {
                sum[row.round()] += value.applyAsDouble(row);
                count[row.round()]++;
            }
        }
        double[] mean = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            mean[r] = count[r] > 0 ? sum[r] / count[r] : Double.NaN;
        }
        return mean;
    }

    private static double[] column(List<RoundRecord> rounds, ToDoubleFunction<RoundRecord> value) {
        return rounds.stream().mapToDouble(value).toArray();
    }

    /** Each class's mean γ over its devices the planner served, round by round (NaN where it served none). */
    private static Map<String, double[]> perClass(List<DeviceRoundRecord> rows, int rounds, List<String> classes) {
        Map<String, double[]> series = new LinkedHashMap<>();
        for (String name : classes) {
            double[] sum = new double[rounds];
            int[] count = new int[rounds];
            for (DeviceRoundRecord row : rows) {
                boolean served = row.outcome() != DeviceOutcome.UNSERVED && row.outcome() != DeviceOutcome.OFFLINE;
                if (row.deviceClass().equals(name) && served && row.round() < rounds) {
                    sum[row.round()] += row.gamma();
                    count[row.round()]++;
                }
            }
            double[] mean = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                mean[r] = count[r] == 0 ? Double.NaN : sum[r] / count[r];
            }
            series.put(name, mean);
        }
        return series;
    }

    private static Map<String, double[]> perDevice(List<DeviceRoundRecord> rows, int rounds, int devices,
                                                   ToDoubleFunction<DeviceRoundRecord> value) {
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int k = 0; k < Math.min(devices, DEVICES_SHOWN); k++) {
            double[] values = new double[rounds];
            java.util.Arrays.fill(values, Double.NaN);
            series.put("device " + k, values);
        }
        for (DeviceRoundRecord row : rows) {
            double[] values = series.get("device " + row.device());
            if (values != null && row.round() < rounds) {
                values[row.round()] = value.applyAsDouble(row);
            }
        }
        return series;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
