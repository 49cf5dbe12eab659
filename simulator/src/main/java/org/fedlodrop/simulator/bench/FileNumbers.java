package org.fedlodrop.simulator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.fedlodrop.reports.io.DoubleSpellings;

/**
 * The doubles a run wrote to {@code events.jsonl} and {@code devices.csv}, each file's in the order written,
 * and what spelling them costs: the part of a run's output that no kernel can avoid while the files keep
 * every double at full precision (issue 32: at 1,000 devices and 100 rounds it took one core 65 % of the
 * time in which twice SimPy's events per second allows the whole run).
 *
 * <p>A double is what the writer spelled with its double writer: in JSON a floating-point number (NaN and
 * the infinities are written as strings, not spelled), in CSV a cell with a fraction or an exponent other than
 * NaN and the infinities. Integers (rounds, devices, nanoseconds) are not doubles in either file.
 */
public final class FileNumbers {
    static final String[] FILES = {"events.jsonl", "devices.csv"};

    private final List<double[]> files;

    private FileNumbers(List<double[]> files) {
        this.files = List.copyOf(files);
    }

    /** Reads the doubles of a run directory's events.jsonl and devices.csv (a file that is absent has none). */
    public static FileNumbers of(Path runDirectory) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<double[]> files = new ArrayList<>();
        for (String name : FILES) {
            Path file = runDirectory.resolve(name);
            DoubleList values = new DoubleList();
            if (Files.exists(file)) {
                try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    if (name.endsWith(".jsonl")) {
                        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                            if (!line.isBlank()) {
                                collect(mapper.readTree(line), values);
                            }
                        }
                    } else {
                        reader.readLine(); // the header
                        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                            for (String cell : line.split(",", -1)) {
                                if (spelledDouble(cell)) {
                                    values.add(Double.parseDouble(cell));
                                }
                            }
                        }
                    }
                }
            }
            files.add(values.toArray());
        }
        return new FileNumbers(files);
    }

    /** Every double of the files, file by file in {@link #FILES}' order, each in the order written. */
    public double[] all() {
        return files.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    public int count() {
        return files.stream().mapToInt(values -> values.length).sum();
    }

    /** How many different doubles the files hold (by bits), the least a cache of spellings must spell. */
    public int distinct() {
        return (int) java.util.Arrays.stream(all()).mapToLong(Double::doubleToRawLongBits).distinct().count();
    }

    /**
     * Seconds to spell every double as the files do, one writer's cache per file, on the calling thread; the
     * total length of the spellings is returned through {@code sink} so that the work cannot be dropped.
     */
    public double spellSeconds(long[] sink) {
        long start = System.nanoTime();
        long length = 0;
        for (double[] values : files) {
            DoubleSpellings spellings = new DoubleSpellings();
            for (double value : values) {
                length += spellings.of(value).length();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        sink[0] += length;
        return seconds;
    }

    private static void collect(JsonNode node, DoubleList values) {
        if (node.isFloatingPointNumber()) {
            values.add(node.doubleValue());
        } else if (node.isContainerNode()) {
            for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
                collect(children.next(), values);
            }
        }
    }

    static boolean spelledDouble(String cell) {
        if (cell.isEmpty() || !(cell.indexOf('.') >= 0 || cell.indexOf('E') >= 0)) {
            return false;
        }
        try {
            return Double.isFinite(Double.parseDouble(cell));
        } catch (NumberFormatException notANumber) {
            return false; // text with a full stop, such as a class name
        }
    }

    /** A growable double[]: millions of boxed Doubles would weigh on the benchmark they serve. */
    private static final class DoubleList {
        private double[] values = new double[1024];
        private int size;

        void add(double value) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        double[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
