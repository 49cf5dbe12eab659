package org.fedlodrop.reports.records;

/** Everything a simulation hands to the recorder: an event-log line, a row of a metrics table, the final model, or a point to resume from. */
public sealed interface RunRecord permits EventRecord, RoundRecord, DeviceRoundRecord, DeviceJobRecord, AggregationRecord, CellRoundRecord, ModelCheckpoint,
        ResumePoint {
}
