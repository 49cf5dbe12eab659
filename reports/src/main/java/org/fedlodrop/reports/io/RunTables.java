package org.fedlodrop.reports.io;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Reads a run's files back into their record types: for tests, reports and the viewer. */
public final class RunTables {
    private RunTables() {
    }

    /**
     * The complete rows of a CSV file that may still be written or was cut off (a {@code .part}): everything up to
     * its last newline.
     */
    public static <T> List<T> readCompleteCsv(Path file, Class<T> rowType) throws IOException {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        CsvMapper mapper = RunFormats.csv();
        try (MappingIterator<T> rows = mapper.readerFor(rowType)
                .with(RunFormats.csvSchema(mapper, rowType))
                .readValues(bytes, 0, end)) {
            return rows.readAll();
        }
    }

    public static <T> List<T> readCsv(Path file, Class<T> rowType) throws IOException {
        CsvMapper mapper = RunFormats.csv();
        try (MappingIterator<T> rows = mapper.readerFor(rowType)
                .with(RunFormats.csvSchema(mapper, rowType))
                .readValues(file.toFile())) {
            return rows.readAll();
        }
    }


    public static <T> List<T> readJsonLines(Path file, Class<T> type) throws IOException {
        ObjectMapper mapper = RunFormats.jsonLines();
        try (MappingIterator<T> lines = mapper.readerFor(type).readValues(file.toFile())) {
            return lines.readAll();
        }
    }

    public static <T> T readJson(Path file, Class<T> type) throws IOException {
        return RunFormats.jsonDocument().readValue(file.toFile(), type);
    }
}
