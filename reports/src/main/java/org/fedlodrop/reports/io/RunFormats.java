package org.fedlodrop.reports.io;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * The Jackson mappers of every run file. Field names are snake_case with units in them
 * ({@code latency_s}); property order is fixed by each record's {@code @JsonPropertyOrder}, so the
 * same records always give the same bytes. Every mapper spells doubles as {@link DoubleSpelling} does
 * (Jackson's fast double writer), so the bytes are also the same on every JDK.
 */
public final class RunFormats {
    private RunFormats() {
    }

    /** JSON without indentation, for one record per line. */
    public static ObjectMapper jsonLines() {
        return JsonMapper.builder()
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.INDENT_OUTPUT)
                .enable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /** Indented JSON, for documents people read ({@code manifest.json}, {@code summary.json}). */
    public static ObjectMapper jsonDocument() {
        return jsonLines().copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    public static CsvMapper csv() {
        return CsvMapper.builder()
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                // A buffered run's devices.csv has three columns more than a round's row: readers of rows skip them.
                .enable(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.IGNORE_TRAILING_UNMAPPABLE)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    public static CsvSchema csvSchema(CsvMapper mapper, Class<?> rowType) {
        return mapper.schemaFor(rowType).withHeader().withLineSeparator("\n");
    }
}
