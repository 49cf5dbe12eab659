package org.fedlodrop.reports.io;

import java.io.IOException;
import java.nio.file.Path;
import org.fedlodrop.reports.records.AggregationRecord;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.ModelCheckpoint;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.records.RunRecord;

/**
 * Streams a run's records into {@code events.jsonl}, {@code rounds.csv} and {@code devices.csv}, and
 * {@code aggregation.csv} in runs that learn (opened at its first row, so cost-only runs have none).
 */
public final class RunRecordWriter implements AutoCloseable {
    private final RecordStream<EventRecord> events;
    private final RecordStream<RoundRecord> rounds;
    private final RecordStream<DeviceRoundRecord> devices;
    private final Path directory;
    private RecordStream<AggregationRecord> aggregation;
    private ModelCheckpoint checkpoint;

    public RunRecordWriter(Path runDirectory) throws IOException {
        directory = runDirectory;
        events = RecordStream.jsonLines(runDirectory.resolve(RunFiles.EVENTS));
        rounds = RecordStream.csv(runDirectory.resolve(RunFiles.ROUNDS), RoundRecord.class);
        devices = RecordStream.csv(runDirectory.resolve(RunFiles.DEVICES), DeviceRoundRecord.class);
    }

    public void append(RunRecord record) {
        if (record instanceof EventRecord event) {
            events.append(event);
        } else if (record instanceof RoundRecord round) {
            rounds.append(round);
        } else if (record instanceof DeviceRoundRecord device) {
            devices.append(device);
        } else if (record instanceof AggregationRecord row) {
            if (aggregation == null) {
                try {
                    aggregation = RecordStream.csv(directory.resolve(RunFiles.AGGREGATION), AggregationRecord.class);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot write " + directory.resolve(RunFiles.AGGREGATION), e);
                }
            }
            aggregation.append(row);
        } else if (record instanceof ModelCheckpoint model) {
            checkpoint = model; // written once, at commit: the last one is the final model
        }
    }

    /** Gives every file its final name: only a run that got this far has them. */
    /** Puts every row and event appended so far in the files, so that a run that dies keeps its finished rounds. */
    public void flush() {
        events.flush();
        rounds.flush();
        devices.flush();
        if (aggregation != null) {
            aggregation.flush();
        }
    }

    public void commit() throws IOException {
        events.commit();
        rounds.commit();
        devices.commit();
        if (aggregation != null) {
            aggregation.commit();
        }
        if (checkpoint != null) {
            SafeTensors.write(directory.resolve(RunFiles.MODEL), checkpoint.tensors(), checkpoint.metadata());
        }
    }

    @Override
    public void close() throws IOException {
        events.close();
        rounds.close();
        devices.close();
        if (aggregation != null) {
            aggregation.close();
        }
    }
}
