package org.fedlodrop.simulator.actors;

import org.fedlodrop.reports.records.RoundRecord;

/** Told of each finished round, e.g. to move a progress bar. Called from the recorder's thread. */
@FunctionalInterface
public interface RunProgress {
    RunProgress NONE = round -> {
    };

    void roundFinished(RoundRecord round);

    /** A round a resumed run replayed without learning, its results being the checkpoint's (docs/checkpoints.md). */
    default void roundReplayed(RoundRecord round) {
        roundFinished(round);
    }
}
