package org.fedlodrop.reports.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remembered spellings are DoubleSpelling's, and run files keep the bytes of plain Jackson with the run-file mappers. */
class DoubleSpellingsTest {
    @TempDir
    Path directory;

    @JsonPropertyOrder({"round", "value", "share", "label"})
    public record Row(int round, double value, double share, String label) {
    }

    public record Line(long timeNs, Map<String, Object> payload) {
    }

    @JsonPropertyOrder({"round", "gains", "share"})
    public record Listed(int round, List<Double> gains, double share) {
    }

    /** Whole numbers, repeats, colliding slots, signed zeros, subnormals and the extremes. */
    private static double[] values() {
        SplittableRandom random = new SplittableRandom(11);
        double[] special = {0.0, -0.0, 1.0, 2.0E9, 1.0E7, 9999999.0, 1.0E-3, 9.99E-4, Double.MIN_VALUE,
                Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 2.1307456E7, 0.1 + 0.2};
        double[] values = new double[200_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (i % 5) {
                case 0 -> special[random.nextInt(special.length)];
                case 1 -> random.nextInt(1000) * 1e6; // whole numbers that repeat
                case 2 -> Double.longBitsToDouble(random.nextLong());
                case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(-12, 12));
                default -> values[random.nextInt(Math.max(1, i))]; // an earlier value again
            };
        }
        return values;
    }

    @Test
    void spellingsAreDoubleSpellings() {
        DoubleSpellings spellings = new DoubleSpellings();
        for (double value : values()) {
            if (Double.isFinite(value)) {
                assertThat(spellings.of(value)).isEqualTo(DoubleSpelling.of(value));
            }
        }
    }

    @Test
    void runFilesAreByteForBytePlainJacksons() throws Exception {
        double[] values = values();
        List<Row> rows = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        double[] nonFinite = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < 20_000; i++) {
            double value = i % 997 == 0 ? nonFinite[i % 3] : values[i];
            rows.add(new Row(i, value, values[values.length - 1 - i], "d" + i));
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("gain", value);
            payload.put("list", List.of(values[i + 1], 0.5, i));
            lines.add(new Line(i, payload));
        }

        Path csv = directory.resolve("rows.csv");
        Path jsonl = directory.resolve("lines.jsonl");
        try (RecordStream<Row> rowStream = RecordStream.csv(csv, Row.class);
             RecordStream<Line> lineStream = RecordStream.jsonLines(jsonl)) {
            rows.forEach(rowStream::append);
            lines.forEach(lineStream::append);
            rowStream.commit();
            lineStream.commit();
        }

        CsvMapper mapper = RunFormats.csv();
        ByteArrayOutputStream plainCsv = new ByteArrayOutputStream();
        try (SequenceWriter writer = mapper.writer(RunFormats.csvSchema(mapper, Row.class)).writeValues(plainCsv)) {
            writer.writeAll(rows);
        }
        StringBuilder plainLines = new StringBuilder();
        for (Line line : lines) {
            plainLines.append(RunFormats.jsonLines().writeValueAsString(line)).append('\n');
        }
        assertThat(Files.readAllBytes(csv)).isEqualTo(plainCsv.toByteArray());
        assertThat(Files.readString(jsonl)).isEqualTo(plainLines.toString());
        assertThat(Files.readString(jsonl)).contains("\"NaN\"").contains("2.0E9");
    }

    /**
     * A CSV with an array column joins the column's doubles as Jackson does (quoted where its rules say), and
     * spells every double as DoubleSpelling does: plain Jackson would spell array elements with
     * String.valueOf, JDK 17's digits.
     */
    @Test
    void csvWithAnArrayColumnJoinsItsElements() throws Exception {
        double[] values = values();
        List<Listed> rows = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            rows.add(new Listed(i, List.of(values[3 * i], values[3 * i + 1]), values[3 * i + 2]));
        }
        Path csv = directory.resolve("listed.csv");
        try (RecordStream<Listed> stream = RecordStream.csv(csv, Listed.class)) {
            rows.forEach(stream::append);
            stream.commit();
        }
        List<List<String>> read = new ArrayList<>();
        try (MappingIterator<List<String>> lines = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .readerForListOf(String.class).readValues(csv.toFile())) {
            lines.forEachRemaining(read::add);
        }
        assertThat(read.get(0)).containsExactly("round", "gains", "share");
        assertThat(read).hasSize(rows.size() + 1);
        for (Listed row : rows) {
            assertThat(read.get(row.round() + 1)).containsExactly(Integer.toString(row.round()),
                    DoubleSpelling.of(row.gains().get(0)) + ";" + DoubleSpelling.of(row.gains().get(1)),
                    DoubleSpelling.of(row.share()));
        }
    }
}
