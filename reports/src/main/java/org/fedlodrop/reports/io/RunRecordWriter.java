package org.fedlodrop.reports.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedlodrop.reports.records.AggregationRecord;
import org.fedlodrop.reports.records.CellRoundRecord;
import org.fedlodrop.reports.records.DeviceJobRecord;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.ModelCheckpoint;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.records.RunRecord;

/**
 * Streams a run's records into {@code events.jsonl}, {@code rounds.csv} and {@code devices.csv} (of rounds' rows, or a
 * buffered run's jobs), {@code aggregation.csv} in runs that learn and {@code cells.csv} in runs with a backhaul (each
 * opened at its first row, so runs without have none).
 */
public final class RunRecordWriter implements AutoCloseable {
    private final RecordStream<EventRecord> events;
    private final RecordStream<RoundRecord> rounds;
    /** devices.csv: rows of rounds, or of jobs in a buffered run; opened at its first row, of whichever kind. */
    private RecordStream<RunRecord> devices;
    private final long devicesKept;
    private final Path directory;
    private RecordStream<AggregationRecord> aggregation;
    private RecordStream<CellRoundRecord> cells;
    private ModelCheckpoint checkpoint;

    public RunRecordWriter(Path runDirectory) throws IOException {
        this(runDirectory, Map.of());
    }

    /**
     * Goes on writing a run's files from the lengths a checkpoint counted ({@link #lengths()}), cutting each
     * {@code .part} file back to it; a file the map does not name starts anew.
     */
    public RunRecordWriter(Path runDirectory, Map<String, Long> keep) throws IOException {
        directory = runDirectory;
        events = RecordStream.jsonLines(runDirectory.resolve(RunFiles.EVENTS), keep.getOrDefault(RunFiles.EVENTS, 0L));
        rounds = RecordStream.csv(runDirectory.resolve(RunFiles.ROUNDS), RoundRecord.class,
                keep.getOrDefault(RunFiles.ROUNDS, 0L));
        devicesKept = keep.getOrDefault(RunFiles.DEVICES, 0L);
        long aggregationKept = keep.getOrDefault(RunFiles.AGGREGATION, 0L);
        if (aggregationKept > 0) {
            aggregation = RecordStream.csv(runDirectory.resolve(RunFiles.AGGREGATION), AggregationRecord.class, aggregationKept);
        }
        long cellsKept = keep.getOrDefault(RunFiles.CELLS, 0L);
        if (cellsKept > 0) {
            cells = RecordStream.csv(runDirectory.resolve(RunFiles.CELLS), CellRoundRecord.class, cellsKept);
        }
    }

    /** Each record file's length so far, everything appended flushed: what a checkpoint counts. */
    public Map<String, Long> lengths() throws IOException {
        Map<String, Long> lengths = new LinkedHashMap<>();
        lengths.put(RunFiles.EVENTS, events.length());
        lengths.put(RunFiles.ROUNDS, rounds.length());
        lengths.put(RunFiles.DEVICES, devices == null ? 0 : devices.length());
        if (aggregation != null) {
            lengths.put(RunFiles.AGGREGATION, aggregation.length());
        }
        if (cells != null) {
            lengths.put(RunFiles.CELLS, cells.length());
        }
        return lengths;
    }


    public void append(RunRecord record) {
        if (record instanceof EventRecord event) {
            events.append(event);
        } else if (record instanceof RoundRecord round) {
            rounds.append(round);
        } else if (record instanceof DeviceRoundRecord || record instanceof DeviceJobRecord) {
            if (devices == null) {
                devices = openedDevices(record.getClass());
            }
            devices.append(record);
        } else if (record instanceof AggregationRecord row) {
            if (aggregation == null) {
                try {
                    aggregation = RecordStream.csv(directory.resolve(RunFiles.AGGREGATION), AggregationRecord.class);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot write " + directory.resolve(RunFiles.AGGREGATION), e);
                }
            }
            aggregation.append(row);
        } else if (record instanceof CellRoundRecord row) {
            if (cells == null) {
                cells = opened(RunFiles.CELLS, CellRoundRecord.class);
            }
            cells.append(row);
        } else if (record instanceof ModelCheckpoint model) {
            checkpoint = model; // written once, at commit: the last one is the final model
        }
        // A ResumePoint is the recorder's to act on; no file holds it.
    }

    /** devices.csv as it stands; a run that wrote no row (a reference arm) still has one, its header alone. */
    private RecordStream<RunRecord> devices() {
        if (devices == null) {
            devices = openedDevices(DeviceRoundRecord.class);
        }
        return devices;
    }

    @SuppressWarnings("unchecked")
    private RecordStream<RunRecord> openedDevices(Class<? extends RunRecord> type) {
        try {
            return (RecordStream<RunRecord>) RecordStream.csv(directory.resolve(RunFiles.DEVICES), type, devicesKept);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + directory.resolve(RunFiles.DEVICES), e);
        }
    }

    private <T> RecordStream<T> opened(String file, Class<T> type) {
        try {
            return RecordStream.csv(directory.resolve(file), type);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + directory.resolve(file), e);
        }
    }

    /** Puts every row and event appended so far in the files, so that a run that dies keeps its finished rounds. */
    public void flush() {
        events.flush();
        rounds.flush();
        devices().flush();
        if (aggregation != null) {
            aggregation.flush();
        }
        if (cells != null) {
            cells.flush();
        }
    }

    /** Gives every file its final name: only a run that got this far has them. */
    public void commit() throws IOException {
        events.commit();
        rounds.commit();
        devices().commit();
        if (aggregation != null) {
            aggregation.commit();
        }
        if (cells != null) {
            cells.commit();
        }
        if (checkpoint != null) {
            SafeTensors.write(directory.resolve(RunFiles.MODEL), checkpoint.tensors(), checkpoint.metadata());
        }
    }

    @Override
    public void close() throws IOException {
        events.close();
        rounds.close();
        if (devices != null) {
            devices.close();
        }
        if (aggregation != null) {
            aggregation.close();
        }
        if (cells != null) {
            cells.close();
        }
    }
}
