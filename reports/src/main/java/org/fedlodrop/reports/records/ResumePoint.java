package org.fedlodrop.reports.records;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A point a run can resume from: the end of round {@code round − 1}, when no device is training and nothing
 * is in flight. The recorder writes a checkpoint when it reaches it, once every record before it is in the
 * files (issue 29; docs/checkpoints.md).
 *
 * @param round          the first round a run resumed from here runs
 * @param learning       the global model's state (adapter, head, and W0 where aggregation folded it); empty without learning
 * @param trainingStreams each device's training stream position ({@code ResumableStream})
 */
public record ResumePoint(int round, Map<String, StateTensor> learning, long[] trainingStreams) implements RunRecord {
    public ResumePoint {
        learning = Collections.unmodifiableMap(new LinkedHashMap<>(learning));
        trainingStreams = trainingStreams.clone();
    }
}
