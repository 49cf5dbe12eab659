package org.fedlodrop.models.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * Reads labelled texts from files in GLUE's layouts: tab-separated (SST-2's {@code sentence<TAB>label}
 * with a header, or CoLA's header-less four columns), comma-separated with quoting, or JSON lines
 * ({@code {"sentence": ..., "label": ...}} per line). Columns are named by header, or by 0-based
 * index when the file has none. Format follows the extension: .tsv, .csv, .jsonl / .json.
 *
 * <p>GLUE's TSV files are not quoted (a sentence may contain a lone quote), so TSV is read with
 * quoting off; CSV honours RFC 4180 quotes. Both through Jackson's CSV reader.
 */
public final class TextTableReader {
    /**
     * Which columns hold the text, the label and (optionally, "" for none) the group, and whether the
     * first row names columns. A group column the file lacks is no error: its examples have no group.
     */
    public record Columns(String text, String label, boolean header, String group) {
        public Columns(String text, String label, boolean header) {
            this(text, label, header, "");
        }
    }

    public enum Format { TSV, CSV, JSONL }

    private TextTableReader() {
    }

    public static Format formatOf(Path file) throws TextFileException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tsv")) {
            return Format.TSV;
        }
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".json")) {
            return Format.JSONL;
        }
        throw new TextFileException(file, 0, "expected a .tsv, .csv or .jsonl file of labelled texts");
    }

    public static LabelledText read(Path file, Columns columns) throws TextFileException {
        String content = content(file);
        Format format = formatOf(file);
        LabelledText text = format == Format.JSONL ? readJsonLines(file, content, columns)
                : readDelimited(file, content, columns, format == Format.TSV ? '\t' : ',');
        if (text.size() == 0) {
            throw new TextFileException(file, 0, "no examples; expected one labelled text per line");
        }
        return text;
    }

    private static String content(Path file) throws TextFileException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new TextFileException(file, 0, "cannot read the file: no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new TextFileException(file, 0, "cannot read the file: permission denied");
        } catch (IOException e) {
            throw new TextFileException(file, 0, "cannot read the file: " + e.getMessage());
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new TextFileException(file, 0, "not UTF-8 text");
        }
    }

    private static LabelledText readDelimited(Path file, String content, Columns columns, char separator)
            throws TextFileException {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(separator);
        if (separator == '\t') {
            schema = schema.withoutQuoteChar().withoutEscapeChar();
        }
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int textColumn = -1;
        int labelColumn = -1;
        int groupColumn = -1;
        if (!columns.header()) {
            textColumn = index(file, "text column", columns.text());
            labelColumn = index(file, "label column", columns.label());
        }
        try (MappingIterator<String[]> rows = mapper.readerFor(String[].class).with(schema).readValues(content)) {
            boolean first = true;
            while (rows.hasNextValue()) {
                String[] row = rows.nextValue();
                int line = rows.getParser().currentTokenLocation().getLineNr();
                if (row.length == 1 && row[0].isBlank()) {
                    first = false;
                    continue;
                }
                if (first && columns.header()) {
                    textColumn = find(file, row, columns.text(), "text");
                    labelColumn = find(file, row, columns.label(), "label");
                    for (int i = 0; i < row.length && !columns.group().isEmpty(); i++) {
                        if (row[i].strip().equals(columns.group())) {
                            groupColumn = i;
                        }
                    }
                    first = false;
                    continue;
                }
                first = false;
                int needed = Math.max(textColumn, labelColumn) + 1;
                if (row.length < needed) {
                    throw new TextFileException(file, line, "expected at least " + needed + " "
                            + (separator == '\t' ? "tab" : "comma") + "-separated fields, got " + row.length);
                }
                add(file, line, row[textColumn], row[labelColumn], texts, labels, lines);
                groups.add(groupColumn >= 0 && groupColumn < row.length ? row[groupColumn].strip() : "");
            }
        } catch (IOException | RuntimeException e) {
            throw new TextFileException(file, 0, "cannot parse as " + (separator == '\t' ? "TSV" : "CSV") + ": "
                    + firstLine(e.getMessage()));
        }
        return new LabelledText(texts, labels, lines.stream().mapToInt(Integer::intValue).toArray(), groups);
    }

    private static LabelledText readJsonLines(Path file, String content, Columns columns) throws TextFileException {
        ObjectMapper mapper = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        String[] split = content.split("\r?\n", -1);
        for (int i = 0; i < split.length; i++) {
            int line = i + 1;
            if (split[i].isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = mapper.readTree(split[i]);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new TextFileException(file, line, "not a JSON object: " + firstLine(e.getOriginalMessage()));
            }
            if (node == null || !node.isObject()) {
                throw new TextFileException(file, line, "expected a JSON object with fields \"" + columns.text()
                        + "\" and \"" + columns.label() + "\"");
            }
            JsonNode text = node.get(columns.text());
            JsonNode label = node.get(columns.label());
            if (text == null || !text.isTextual()) {
                throw new TextFileException(file, line, "expected a string field \"" + columns.text() + "\"");
            }
            if (label == null || !label.isValueNode() || label.isNull()) {
                throw new TextFileException(file, line, "expected a label field \"" + columns.label() + "\"");
            }
            add(file, line, text.asText(), label.asText(), texts, labels, lines);
            JsonNode group = columns.group().isEmpty() ? null : node.get(columns.group());
            groups.add(group != null && group.isValueNode() && !group.isNull() ? group.asText().strip() : "");
        }
        return new LabelledText(texts, labels, lines.stream().mapToInt(Integer::intValue).toArray(), groups);
    }

    private static void add(Path file, int line, String text, String label, List<String> texts, List<String> labels,
                            List<Integer> lines) throws TextFileException {
        if (label.isBlank()) {
            throw new TextFileException(file, line, "empty label");
        }
        texts.add(text);
        labels.add(label.strip());
        lines.add(line);
    }

    private static int find(Path file, String[] header, String name, String what) throws TextFileException {
        for (int i = 0; i < header.length; i++) {
            if (header[i].strip().equals(name)) {
                return i;
            }
        }
        if (name.matches("\\d+")) {
            return Integer.parseInt(name);
        }
        throw new TextFileException(file, 1, "no " + what + " column \"" + name + "\" in the header; columns are "
                + String.join(", ", header));
    }

    private static int index(Path file, String what, String value) throws TextFileException {
        if (!value.matches("\\d{1,4}")) {
            throw new TextFileException(file, 0, "the file has no header, so the " + what
                    + " must be a 0-based column number, got \"" + value + "\"");
        }
        return Integer.parseInt(value);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
