package org.fedlodrop.simulator.kernel;

import java.util.List;
import org.fedlodrop.reports.records.RunRecord;

/**
 * Where the {@link Clock} hands records once no earlier event can occur, in the order they are to be written:
 * the run's recorder actor (a message to it, so that the clock never waits on the files).
 */
@FunctionalInterface
public interface RecordSink {
    void write(List<RunRecord> records);
}
