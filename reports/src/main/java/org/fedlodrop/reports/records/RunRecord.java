package org.fedlodrop.reports.records;

/** Everything a simulation hands to the recorder: an event-log line, a row of a metrics table, or the final model. */
public sealed interface RunRecord permits EventRecord, RoundRecord, DeviceRoundRecord, AggregationRecord, ModelCheckpoint {
}
