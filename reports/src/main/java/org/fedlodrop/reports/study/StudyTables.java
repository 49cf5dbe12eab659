package org.fedlodrop.reports.study;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.reports.io.AtomicFiles;
import org.fedlodrop.reports.io.DoubleSpelling;

/**
 * Writes and reads {@link StudyTable}s as CSV through Jackson: columns {@code point}, the axes,
 * {@code round} (curves only), {@code runs}, then {@code METRIC_mean} and {@code METRIC_ci95} per
 * metric. Jackson quotes what needs quoting, so a value with commas or quotes (a list of cells, a
 * mapping) stays one field.
 */
public final class StudyTables {
    private static final String POINT = "point";
    private static final String ROUND = "round";
    private static final String RUNS = "runs";
    private static final String MEAN = "_mean";
    private static final String CI95 = "_ci95";

    private StudyTables() {
    }

    public static void write(Path file, StudyTable table) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().addColumn(POINT);
        table.axes().forEach(schema::addColumn);
        if (table.perRound()) {
            schema.addColumn(ROUND);
        }
        schema.addColumn(RUNS);
        for (String metric : table.metrics()) {
            schema.addColumn(metric + MEAN).addColumn(metric + CI95);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (SequenceWriter writer = new CsvMapper().writerFor(List.class)
                .with(schema.setUseHeader(true).build().withLineSeparator("\n")).writeValues(bytes)) {
            for (StudyTable.Row row : table.rows()) {
                List<String> fields = new ArrayList<>();
                fields.add(Integer.toString(row.point()));
                fields.addAll(row.values());
                if (table.perRound()) {
                    fields.add(Integer.toString(row.round()));
                }
                fields.add(Integer.toString(row.runs()));
                for (Interval interval : row.intervals()) {
                    fields.add(DoubleSpelling.of(interval.mean()));
                    fields.add(DoubleSpelling.of(interval.ci95()));
                }
                writer.write(fields);
            }
        }
        AtomicFiles.write(file, bytes.toByteArray());
    }

    /** Reads a table this class wrote; an IOException names the file and what is wrong. */
    public static StudyTable read(Path file) throws IOException {
        List<List<String>> lines = new ArrayList<>();
        try (MappingIterator<List<String>> rows = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .readerForListOf(String.class).readValues(file.toFile())) {
            while (rows.hasNextValue()) {
                lines.add(rows.nextValue());
            }
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a study table (" + e.getMessage() + ")", e);
        }
        if (lines.isEmpty() || lines.get(0).isEmpty() || !lines.get(0).get(0).equals(POINT)
                || !lines.get(0).contains(RUNS)) {
            throw new IOException(file + ": not a study table; expected a header point, AXES..., runs, METRIC_mean, METRIC_ci95...");
        }
        List<String> header = lines.get(0);
        int runs = header.indexOf(RUNS);
        boolean perRound = header.get(runs - 1).equals(ROUND);
        List<String> axes = header.subList(1, perRound ? runs - 1 : runs);
        List<String> metrics = new ArrayList<>();
        for (int c = runs + 1; c + 1 < header.size(); c += 2) {
            String mean = header.get(c);
            if (!mean.endsWith(MEAN) || !header.get(c + 1).equals(mean.substring(0, mean.length() - MEAN.length()) + CI95)) {
                throw new IOException(file + ": column " + (c + 1) + " '" + mean + "': expected METRIC_mean then METRIC_ci95");
            }
            metrics.add(mean.substring(0, mean.length() - MEAN.length()));
        }
        List<StudyTable.Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            List<String> fields = lines.get(i);
            if (fields.size() != header.size()) {
                throw new IOException(file + ":" + (i + 1) + ": expected " + header.size() + " fields, got " + fields.size());
            }
            try {
                List<Interval> intervals = new ArrayList<>();
                for (int c = runs + 1; c + 1 < fields.size(); c += 2) {
                    intervals.add(new Interval(Double.parseDouble(fields.get(c)), Double.parseDouble(fields.get(c + 1))));
                }
                rows.add(new StudyTable.Row(Integer.parseInt(fields.get(0)), fields.subList(1, 1 + axes.size()),
                        perRound ? Integer.parseInt(fields.get(runs - 1)) : -1, Integer.parseInt(fields.get(runs)), intervals));
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": expected numbers in point, round, runs and the metric columns ("
                        + e.getMessage() + ")", e);
            }
        }
        return new StudyTable(axes, perRound, metrics, rows);
    }
}
