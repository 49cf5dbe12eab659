package org.fedlodrop.reports.records;

/** Everything a simulation hands to the recorder: an event-log line or a row of a metrics table. */
public sealed interface RunRecord permits EventRecord, RoundRecord, DeviceRoundRecord {
}
