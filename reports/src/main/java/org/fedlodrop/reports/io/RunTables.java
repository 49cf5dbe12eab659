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
