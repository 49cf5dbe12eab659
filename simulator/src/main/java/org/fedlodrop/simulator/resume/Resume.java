package org.fedlodrop.simulator.resume;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedlodrop.reports.io.RunSummaryBuilder;
import org.fedlodrop.reports.records.StateTensor;

/**
 * What a resumed run starts from: a checkpoint written at the end of round {@code round − 1}. The run replays
 * rounds 0 to {@code round − 1} without learning, which recomputes the channel, mobility, availability, the
 * planner's state and the clock exactly, discards what they record, and from {@code round} on learns from the
 * checkpoint's model and training streams and appends to the record files cut back to their lengths
 * (docs/checkpoints.md).
 *
 * @param learning        the global model's tensors ({@code GlobalModel#state})
 * @param trainingStreams each device's training stream position
 * @param summary         what summary.json had accumulated
 * @param lengths         each record file's length at the checkpoint
 * @param from            the checkpoint's directory
 */
public record Resume(int round, Map<String, StateTensor> learning, long[] trainingStreams,
                     RunSummaryBuilder.State summary, Map<String, Long> lengths, Path from) {
    public Resume {
        learning = Collections.unmodifiableMap(new LinkedHashMap<>(learning));
        trainingStreams = trainingStreams.clone();
        lengths = Collections.unmodifiableMap(new LinkedHashMap<>(lengths));
    }

    /** Device k's training stream position. */
    public long trainingStream(int device) {
        return trainingStreams[device];
    }

    /** Whether round r is one the checkpoint already holds: replayed without learning, its records discarded. */
    public boolean replays(int r) {
        return r < round;
    }
}
