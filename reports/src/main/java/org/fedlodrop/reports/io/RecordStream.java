package org.fedlodrop.reports.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends records of one type to a run file as they come, in a {@code .part} file that takes its
 * final name only on {@link #commit()}. A run killed mid-way thus leaves {@code events.jsonl.part},
 * never an {@code events.jsonl} that looks complete.
 */
public final class RecordStream<T> implements AutoCloseable {
    private interface Sink<T> {
        void write(T record) throws IOException;

        void flush() throws IOException;

        void close() throws IOException;
    }

    private final Path target;
    private final Path part;
    private final Sink<T> sink;
    private boolean open = true;

    private RecordStream(Path target, Sink<T> sink) {
        this.target = target;
        this.part = target == null ? null : AtomicFiles.partOf(target);
        this.sink = sink;
    }

    /**
     * One JSON object per line, each line ending in a newline. One generator for the whole file, and no
     * flush per record: a generator and a byte array per record, and a system call per line, had been most
     * of the cost of writing a large run's events.
     */
    public static <T> RecordStream<T> jsonLines(Path target) throws IOException {
        return jsonLines(target, 0);
    }

    /**
     * As {@link #jsonLines(Path)}, going on from the first {@code keep} bytes of an earlier {@code .part} file
     * (a resumed run, cut back to its checkpoint); 0 starts a new file.
     */
    public static <T> RecordStream<T> jsonLines(Path target, long keep) throws IOException {
        return jsonLines(target, open(target, keep));
    }

    /**
     * The bytes {@link #jsonLines(Path)} would write, into {@code out}: to compare records with a file's
     * (a resumed run's replay). Such a stream has no file to commit.
     */
    public static <T> RecordStream<T> jsonLines(OutputStream out) throws IOException {
        return jsonLines(null, out);
    }

    private static <T> RecordStream<T> jsonLines(Path target, OutputStream out) throws IOException {
        ObjectWriter writer = RunFormats.jsonLines().writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
        JsonGenerator lines = new RememberingDoubles(writer.createGenerator(out));
        lines.setRootValueSeparator(null);
        return new RecordStream<>(target, new Sink<>() {
            @Override
            public void write(T record) throws IOException {
                writer.writeValue(lines, record);
                lines.writeRaw('\n');
            }

            @Override
            public void flush() throws IOException {
                lines.flush();
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        });
    }

    /**
     * CSV with a header row; columns in the order of the record's {@code @JsonPropertyOrder}. Both kinds of
     * file spell their doubles as {@link DoubleSpelling} does, through {@link RememberingDoubles}.
     */
    public static <T> RecordStream<T> csv(Path target, Class<T> rowType) throws IOException {
        return csv(target, rowType, 0);
    }

    /** As {@link #csv(Path, Class)}, going on from the first {@code keep} bytes of an earlier {@code .part} file, header and all. */
    public static <T> RecordStream<T> csv(Path target, Class<T> rowType, long keep) throws IOException {
        CsvMapper mapper = RunFormats.csv();
        OutputStream out = open(target, keep);
        var schema = RunFormats.csvSchema(mapper, rowType);
        ObjectWriter writer = mapper.writer(keep > 0 ? schema.withoutHeader() : schema)
                .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
        JsonGenerator generator = new RememberingDoubles(writer.createGenerator(out));
        SequenceWriter rows = writer.writeValues(generator);
        return new RecordStream<>(target, new Sink<>() {
            @Override
            public void write(T record) throws IOException {
                rows.write(record);
            }

            @Override
            public void flush() throws IOException {
                rows.flush();
                generator.flush();
                out.flush();
            }

            @Override
            public void close() throws IOException {
                rows.close();
                generator.close();
                out.close();
            }
        });
    }

    private static OutputStream open(Path target, long keep) throws IOException {
        Path part = AtomicFiles.partOf(target);
        if (keep == 0) {
            return new BufferedOutputStream(Files.newOutputStream(part), 1 << 16);
        }
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
            if (channel.size() < keep) {
                throw new IOException(part + " holds " + channel.size() + " bytes, fewer than the " + keep
                        + " its checkpoint counted");
            }
            channel.truncate(keep);
            channel.force(true);
        }
        return new BufferedOutputStream(Files.newOutputStream(part, StandardOpenOption.APPEND), 1 << 16);
    }

    /** The {@code .part} file's length once what was appended is flushed. */
    public long length() throws IOException {
        flush();
        return Files.size(part);
    }


    public void append(T record) {
        try {
            sink.write(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + part, e);
        }
    }

    /** Writes what was appended through to the {@code .part} file (once a round: not per record, which cost most of a run's writing). */
    public void flush() {
        if (!open) {
            return;
        }
        try {
            sink.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + part, e);
        }
    }

    /** Flushes, closes and gives the file its final name. */
    public void commit() throws IOException {
        close();
        AtomicFiles.commit(part, target);
    }

    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            sink.close();
        }
    }
}
