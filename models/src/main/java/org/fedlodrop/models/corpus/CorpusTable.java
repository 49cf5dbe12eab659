package org.fedlodrop.models.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Labelled texts of a real corpus with the group each came from (a mailbox, a president), written as
 * the GLUE-style TSV files the text reader takes: columns {@code sentence}, {@code label},
 * {@code group}; tabs and line breaks inside a text are folded to spaces.
 */
public record CorpusTable(List<Row> rows) {
    public CorpusTable {
        rows = List.copyOf(rows);
    }

    /** One example. */
    public record Row(String text, String label, String group) {
    }

    public void write(Path file) throws IOException {
        StringBuilder tsv = new StringBuilder("sentence\tlabel\tgroup\n");
        for (Row row : rows) {
            tsv.append(clean(row.text())).append('\t').append(row.label()).append('\t').append(row.group()).append('\n');
        }
        Path part = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(part, tsv, StandardCharsets.UTF_8);
        Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Examples per label, then per group, for the fetch command's report. */
    public Map<String, Map<String, Integer>> counts() {
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (Row row : rows) {
            counts.computeIfAbsent(row.label(), label -> new TreeMap<>()).merge(row.group(), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Splits by a fixed rule: each row goes to the test table with probability {@code testShare},
     * decided by a hash of its text; each table is then put in the order of another hash of the text.
     * The corpora come sorted (by mailbox, by year), and scenarios take the first texts of a file as
     * the test set, so a file must not keep that order.
     */
    public List<CorpusTable> split(double testShare) {
        List<Row> train = new ArrayList<>();
        List<Row> test = new ArrayList<>();
        for (Row row : rows) {
            // A hash of the text, not a position: the split does not move when the corpus gains or loses examples.
            long h = stableHash(row.text());
            (Long.remainderUnsigned(h, 10_000) < testShare * 10_000 ? test : train).add(row);
        }
        java.util.Comparator<Row> shuffled = java.util.Comparator.comparingLong(row -> stableHash("order " + row.text()));
        train.sort(shuffled);
        test.sort(shuffled);
        return List.of(new CorpusTable(train), new CorpusTable(test));
    }

    /** Keeps the first of rows with the same text (case and whitespace folded). */
    public CorpusTable distinct() {
        Map<String, Row> first = new LinkedHashMap<>();
        for (Row row : rows) {
            first.putIfAbsent(row.text().toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ").strip(), row);
        }
        return new CorpusTable(new ArrayList<>(first.values()));
    }

    private static String clean(String text) {
        return text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    /** FNV-1a over the UTF-8 bytes: the same on every JVM. */
    static long stableHash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
