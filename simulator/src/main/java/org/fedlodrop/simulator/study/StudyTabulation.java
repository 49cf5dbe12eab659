package org.fedlodrop.simulator.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedlodrop.reports.study.JournalEntry;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.study.Interval;
import org.fedlodrop.reports.study.StudyTable;

/**
 * A study's tables: {@code results.csv} from the journal, in point and seed order (so the same however
 * the runs were ordered, interrupted or resumed), and {@code curves.csv} from the runs' rounds.csv.
 */
public final class StudyTabulation {
    private static final ObjectMapper JSON = RunFormats.jsonLines();

    private StudyTabulation() {
    }

    /** A finished run's metrics: summary.json fields, else columns of the last round of rounds.csv. */
    static Map<String, Double> metricsOf(Path runDirectory, List<String> metrics) throws IOException {
        JsonNode summary = RunFormats.jsonDocument().readTree(runDirectory.resolve(RunFiles.SUMMARY).toFile());
        List<RoundRecord> rounds = RunTables.readCsv(runDirectory.resolve(RunFiles.ROUNDS), RoundRecord.class);
        JsonNode last = JSON.valueToTree(rounds.get(rounds.size() - 1));
        Map<String, Double> values = new LinkedHashMap<>();
        for (String metric : metrics) {
            values.put(metric, number(summary.has(metric) ? summary.get(metric) : last.get(metric)));
        }
        return values;
    }

    /** A row per point: its axis values, the runs the journal holds, each metric's interval over them. */
    static StudyTable results(StudySpec spec, Map<String, JournalEntry> journal) {
        List<StudyTable.Row> rows = new ArrayList<>();
        for (StudySpec.Point point : spec.points()) {
            List<JournalEntry> runs = spec.seeds().stream()
                    .map(seed -> journal.get(StudyRunner.directoryName(point.index(), seed))).filter(Objects::nonNull).toList();
            List<Interval> intervals = new ArrayList<>();
            for (String metric : spec.metrics()) {
                intervals.add(Intervals.of(runs.stream().mapToDouble(run -> run.metrics().get(metric)).toArray()));
            }
            rows.add(new StudyTable.Row(point.index(), valuesOf(spec, point), -1, runs.size(), intervals));
        }
        return new StudyTable(spec.axes(), false, spec.metrics(), rows);
    }

    /** A row per point and round, each curve metric's interval over the seeds that have that round. */
    static StudyTable curves(StudySpec spec, StudyRunner runner) throws IOException {
        List<StudyTable.Row> rows = new ArrayList<>();
        for (StudySpec.Point point : spec.points()) {
            List<List<JsonNode>> runs = new ArrayList<>();
            int rounds = 0;
            for (long seed : spec.seeds()) {
                Path file = runner.directory(point.index(), seed).resolve(RunFiles.ROUNDS);
                if (Files.exists(file)) {
                    List<JsonNode> read = RunTables.readCsv(file, RoundRecord.class).stream()
                            .map(row -> (JsonNode) JSON.valueToTree(row)).toList();
                    runs.add(read);
                    rounds = Math.max(rounds, read.size());
                }
            }
            for (int round = 0; round < rounds; round++) {
                int r = round;
                List<List<JsonNode>> having = runs.stream().filter(read -> read.size() > r).toList();
                List<Interval> intervals = new ArrayList<>();
                for (String curve : spec.curves()) {
                    intervals.add(Intervals.of(having.stream().mapToDouble(read -> number(read.get(r).get(curve))).toArray()));
                }
                rows.add(new StudyTable.Row(point.index(), valuesOf(spec, point), round, having.size(), intervals));
            }
        }
        return new StudyTable(spec.axes(), true, spec.curves(), rows);
    }

    private static List<String> valuesOf(StudySpec spec, StudySpec.Point point) {
        return spec.axes().stream().map(axis -> point.values().get(axis)).toList();
    }

    private static double number(JsonNode value) {
        return value.isNumber() ? value.asDouble() : Double.parseDouble(value.asText());
    }
}
